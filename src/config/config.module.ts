import type { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { loadConfig, type AppConfig } from './app-config';

/** Where the validated configuration sits in ConfigService: `config.get<AppConfig>(APP_CONFIG)`. */
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

/**
 * The service's ConfigModule. The variables were validated once, at start-up, through
 * validateEnvironment (main.ts exits on a ConfigError before any module exists); validating
 * again here would generate a second sandbox ADMIN_TOKEN, so the result is handed in as is.
 * Nothing is read from .env files or copied back into process.env.
 */
export function appConfigModule(config: AppConfig): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    ignoreEnvVars: true,
    skipProcessEnv: true,
    validate: () => ({ [APP_CONFIG]: config }),
  });
}
