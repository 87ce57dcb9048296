import { loadConfig, type AppConfig } from './app-config';

/** Where the validated configuration sits in a host's ConfigService: `config.get<AppConfig>(APP_CONFIG)`. */
const APP_CONFIG = 'app';

/**
 * @nestjs/config's `validate` hook, on the one schema (loadConfig): the raw variables in, the
 * typed AppConfig out, or a ConfigError naming every bad variable. A host app embedding the
 * service's configuration can pass it to its own `ConfigModule.forRoot({ validate })`.
 */
export function validateEnvironment(raw: Record<string, unknown>): { [APP_CONFIG]: AppConfig } {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) {
    // process.env holds strings; anything else a caller passes is stringified as before.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (value !== undefined && value !== null) env[name] = String(value);
  }
  return { [APP_CONFIG]: loadConfig(env) };
}
