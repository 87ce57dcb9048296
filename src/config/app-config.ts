/**
 * The service's configuration, read from environment variables (names and defaults are the
 * public contract in DESIGN.md). Every problem is reported with the variable's name, all at once.
 */
import { DEFAULT_CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/capture-options';
import { DEFAULT_DATABASE_URL } from '../capture/persistence/database-options';

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  migrateOnStart: boolean;
  bodyLimitBytes: number;
  capture: CaptureModuleOptions;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min = 0): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[0-9]+$/.test(raw.trim()) || Number(raw) < min) {
      problems.push(`${name} must be an integer >= ${min} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };
  const list = (name: string, fallback: number[]): number[] => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const parts = raw.split(',').map((p) => p.trim());
    if (parts.some((p) => !/^[0-9]+$/.test(p) || Number(p) <= 0)) {
      problems.push(`${name} must be a comma-separated list of positive integers (milliseconds)`);
      return fallback;
    }
    return parts.map(Number);
  };

  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with sqlite: or postgres://');
  }
  const d = DEFAULT_CAPTURE_OPTIONS;
  const config: AppConfig = {
    port: int('PORT', 3000),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    migrateOnStart: bool('MIGRATE_ON_START', true),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 262144, 1024),
    capture: {
      captureDeadlineDays: int('CAPTURE_DEADLINE_DAYS', d.captureDeadlineDays, 1),
      deadlineWarningHours: int('DEADLINE_WARNING_HOURS', d.deadlineWarningHours),
      schedulerIntervalMs: int('SCHEDULER_INTERVAL_MS', d.schedulerIntervalMs, 10),
      inquiryBackoffMs: list('INQUIRY_BACKOFF_MS', d.inquiryBackoffMs),
      automaticCaptureGraceMs: int('AUTOMATIC_CAPTURE_GRACE_MS', d.automaticCaptureGraceMs),
      captureRetryMax: int('CAPTURE_RETRY_MAX', d.captureRetryMax),
      captureRetryBackoffMs: int('CAPTURE_RETRY_BACKOFF_MS', d.captureRetryBackoffMs),
      acquirerTimeoutMs: int('ACQUIRER_TIMEOUT_MS', d.acquirerTimeoutMs, 1),
    },
  };
  if (config.port > 65535) problems.push('PORT must be at most 65535');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
