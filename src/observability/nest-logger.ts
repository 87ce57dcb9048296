import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Nest's start-up chatter (every module loaded, every route mapped) is debug detail, not info. */
const CHATTY_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

const STACK = /^.+\n\s+at .+/s;

/**
 * Nest's LoggerService on pino: `new Logger('X').log(...)` anywhere in the code becomes one JSON
 * line with `context: 'X'` plus the request/order context. A message may be an object
 * (`log.log({ msg: 'captured', orderId })`): its fields become fields of the line.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: PinoLevel, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const last = rest[rest.length - 1];
    const context = typeof last === 'string' && !STACK.test(last) ? (rest.pop() as string) : undefined;
    if (level === 'info' && context && CHATTY_CONTEXTS.has(context)) level = 'debug';
    if (!this.pino.isLevelEnabled(level)) return;

    const fields: Record<string, unknown> = context ? { context } : {};
    let msg: string;
    if (message instanceof Error) {
      fields.err = message;
      msg = message.message;
    } else if (typeof message === 'object' && message !== null) {
      const { msg: text, message: alt, ...others } = message as Record<string, unknown>;
      Object.assign(fields, others);
      // A Nest log object's msg/message is text; anything else is stringified as before.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      msg = String(text ?? alt ?? '');
    } else {
      msg = String(message);
    }
    for (const param of rest) {
      if (typeof param === 'string' && STACK.test(param)) fields.stack = param;
      else if (param instanceof Error) fields.err = param;
      else if (typeof param === 'object' && param !== null) Object.assign(fields, param);
    }
    this.pino[level](fields, msg);
  }
}
