import { Logger, PinoLogger, type Params } from 'nestjs-pino';

/** Nest's start-up chatter (every module loaded, every route mapped) is debug detail, not info. */
const CHATTY_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/**
 * The service's Nest logger: nestjs-pino's, so `new Logger('X').log(...)` anywhere becomes one
 * JSON line with `context: 'X'` and, inside a request, its reqId and orderId.
 */
export class ServiceLogger extends Logger {
  override log(message: unknown, ...params: unknown[]): void {
    const context = params[params.length - 1];
    if (typeof context === 'string' && CHATTY_CONTEXTS.has(context)) super.debug(message, ...params);
    else super.log(message, ...params);
  }
}

/** Built before the app exists (Nest's own start-up lines need it), on the module's options. */
export function serviceLogger(params: Params): ServiceLogger {
  return new ServiceLogger(new PinoLogger(params), params);
}
