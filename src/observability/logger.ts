import pino, { type DestinationStream, type Logger } from 'pino';
import { currentLogContext } from './log-context';

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
 * The service's one logger: JSON lines on stdout, each carrying the request id and order id of
 * the work in progress (log-context.ts). A test passes its own destination to read the lines.
 */
export function createRootLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'order-capture' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: () => ({ ...currentLogContext() }),
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * LOG_LEVEL when given; otherwise info, or warn under a test runner so that suites starting
 * many apps do not flood their output (tests that read logs set the level themselves).
 */
export function effectiveLogLevel(configured: LogLevel | undefined): LogLevel {
  if (configured) return configured;
  return process.env.JEST_WORKER_ID ? 'warn' : 'info';
}
