import pino, { type DestinationStream, type Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Field names whose values never reach a log line, at any depth we log: credentials, the
 * acquirers' signature headers (Antom `signature`, PayerMax `sign`), key material, and message
 * bodies (a notification body is kept in the database, not in logs).
 */
const SECRET_FIELDS = [
  'authorization',
  'signature',
  'sign',
  'cookie',
  'password',
  'adminToken',
  'privateKey',
  'merchantPrivateKey',
  'publicKey',
  'body',
  'rawBody',
];

const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

/**
 * The service's one logger: JSON lines on stdout. nestjs-pino derives each request's logger from
 * it (request-logging.ts), so lines written during a request carry its reqId and orderId. A test passes its own destination to read the lines.
 */
export function createRootLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'order-capture' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  // Asynchronous stdout: lines written while a write is under way go out together in the next
  // one, instead of one blocking write per line under load; pino flushes what is left at exit.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

/** LOG_LEVEL when given, else info: tests that want quiet apps say so in their configuration. */
export function effectiveLogLevel(configured: LogLevel | undefined): LogLevel {
  return configured ?? 'info';
}
