import type { PinoLogger } from 'nestjs-pino';

/**
 * What a request's log lines carry beyond its request id: the order being worked on, once known.
 * A host that installed nestjs-pino's LoggerModule gets a PinoLogger, and `assign` puts the
 * fields on every later line of the request, its completion line included; a host with its own
 * logger gets none, and then there is nothing to annotate.
 */
export interface LogContext {
  orderId?: string;
}

export function annotateLogContext(log: PinoLogger | undefined, fields: LogContext): void {
  try {
    log?.assign(fields);
  } catch {
    // Outside a request (a scheduler tick, a test calling the service): no request lines to mark.
  }
}
