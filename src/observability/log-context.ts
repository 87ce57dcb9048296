import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line written while handling one unit of work carries: the request id (HTTP),
 * the order being worked on, the job name (scheduler). Held in AsyncLocalStorage so that code
 * far from the controller logs with them without passing them around.
 */
export interface LogContext {
  reqId?: string;
  orderId?: string;
  job?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Adds fields to the context of the work in progress (e.g. the order id, once a webhook has
 * found its order), so later lines of the same request carry them. Outside any context: no-op.
 */
export function annotateLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

/** Enters this exact context object: fields annotated later are seen by whoever holds it. */
export function enterLogContext<T>(store: LogContext, fn: () => T): T {
  return storage.run(store, fn);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
