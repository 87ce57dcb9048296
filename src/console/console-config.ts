import type { ConsoleOptions } from './console.module';

/** Lowercase path segments only: the path is also written into the page, so nothing to escape. */
const CONSOLE_PATH = /^(\/[a-z0-9][a-z0-9._-]*)+$/;

/** CONSOLE_PATH and CONSOLE_ASSETS_DIR; problems are reported with the variable's name. */
export function consoleFromEnv(
  env: Record<string, string | undefined>,
  enabled: boolean,
  problems: string[],
): ConsoleOptions {
  const path = env.CONSOLE_PATH || '/console';
  if (!CONSOLE_PATH.test(path)) {
    problems.push(
      `CONSOLE_PATH must be a path like /console (lowercase letters, digits, . _ -; no trailing slash; got "${path}")`,
    );
  } else if (/^\/(admin|orders|webhooks|health|metrics|docs)(\/|$)/.test(path)) {
    problems.push(`CONSOLE_PATH must not be under a route of the service (got "${path}")`);
  }
  const assetsDir = env.CONSOLE_ASSETS_DIR || undefined;
  return { enabled, path, ...(assetsDir ? { assetsDir } : {}) };
}
