import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';

export interface ShutdownOptions {
  timeoutMs: number;
  signals?: NodeJS.Signals[];
  /** process.exit, replaceable in tests. */
  exit?: (code: number) => void;
}

/**
 * SIGTERM / SIGINT: close the app once, then exit 0; exit 1 if it fails or takes longer than
 * SHUTDOWN_TIMEOUT_MS. Nest's close runs the modules' own hooks in order: the jobs stop claiming
 * work and finish their batch (onModuleDestroy / beforeApplicationShutdown), new requests get
 * 503 while in-flight ones complete (return503OnClosing), then the database closes
 * (onApplicationShutdown). A second signal does not cut this short. Returns an uninstaller.
 */
export function installGracefulShutdown(
  app: INestApplication,
  logger: Logger,
  options: ShutdownOptions,
): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let closing = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'already shutting down; waiting for in-flight work');
      return;
    }
    closing = true;
    const started = Date.now();
    logger.info(
      { signal },
      'shutting down: no new work; finishing in-flight requests, transactions and calls',
    );
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: options.timeoutMs }, 'shutdown timed out; exiting with work unfinished');
      exit(1);
    }, options.timeoutMs);
    timer.unref();
    app.close().then(
      () => {
        clearTimeout(timer);
        logger.info({ ms: Date.now() - started }, 'shut down cleanly');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        logger.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
}
