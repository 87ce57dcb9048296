/**
 * The service's configuration, read from environment variables (names and defaults are the
 * public contract, docs/architecture.md). Every problem is reported with the variable's name, all at once.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import {
  DEFAULT_DATABASE_TIMEOUTS,
  DEFAULT_DATABASE_URL,
  type DatabaseTimeouts,
} from '../capture/persistence/database-options';
import { LOG_LEVELS, type LogLevel } from '../observability/logger';
import { consoleFromEnv } from '../console/console-config';
import type { ConsoleOptions } from '../console/console.module';
import { shippingTarget } from '../outbox/shipping-webhook-client';
import { antomFromEnv, payermaxFromEnv } from './acquirer-config';

type AcquirerMode = 'sandbox' | 'live';

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  migrateOnStart: boolean;
  /** DATABASE_*_TIMEOUT_MS: every wait on the database is bounded. */
  databaseTimeouts: DatabaseTimeouts;
  bodyLimitBytes: number;
  /** sandbox: the built-in simulated acquirers fill in any acquirer left unconfigured. */
  acquirerMode: AcquirerMode;
  /** ADMIN_TOKEN was not given and one was generated (sandbox mode only): print it. */
  adminTokenGenerated: boolean;
  /** LOG_LEVEL; unset: info. */
  logLevel?: LogLevel;
  /** SHUTDOWN_TIMEOUT_MS: how long a SIGTERM waits for in-flight work before giving up (exit 1). */
  shutdownTimeoutMs: number;
  capture: CaptureModuleOptions;
  /** CONSOLE_ENABLED, CONSOLE_PATH, CONSOLE_ASSETS_DIR: the operator console in the browser. */
  console: ConsoleOptions;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Node timers fire at once for delays above 2^31-1 ms: larger values would spin, not wait. */
const TIMER_MAX_MS = 2 ** 31 - 1;

/**
 * Bearer tokens: long enough not to be guessed, and without whitespace, which the
 * `Authorization: Bearer <token>` header cannot carry (such a token could never match).
 */
function checkToken(env: Env, name: string, problems: string[]): void {
  const token = env[name];
  if (token === undefined || token === '') return;
  if (token.length < 16) problems.push(`${name} must be at least 16 characters`);
  if (/\s/.test(token)) problems.push(`${name} must not contain whitespace`);
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[0-9]+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      problems.push(`${name} must be an integer ${range} (got "${raw}")`);
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
  } else if (databaseUrl.startsWith('sqlite:') ? databaseUrl === 'sqlite:' : !URL.canParse(databaseUrl)) {
    problems.push('DATABASE_URL is not a valid sqlite:<path> or postgres:// URL');
  }
  const acquirerMode = env.ACQUIRER_MODE || 'sandbox';
  if (acquirerMode !== 'sandbox' && acquirerMode !== 'live') {
    problems.push(`ACQUIRER_MODE must be sandbox or live (got "${acquirerMode}")`);
  }
  const live = acquirerMode === 'live';
  const antom = antomFromEnv(env, problems, live);
  const payermax = payermaxFromEnv(env, problems, live);
  if (live && !antom && !payermax && !problems.some((p) => /ANTOM|PAYERMAX/.test(p))) {
    problems.push('ACQUIRER_MODE=live needs ANTOM_* or PAYERMAX_* keys (see README, Configuration)');
  }
  if (live && !env.ADMIN_TOKEN) problems.push('ADMIN_TOKEN is required when ACQUIRER_MODE=live');
  checkToken(env, 'ADMIN_TOKEN', problems);
  checkToken(env, 'OPS_TOKEN', problems);
  const logLevel = (env.LOG_LEVEL || undefined) as LogLevel | undefined;
  if (logLevel && !LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  const shippingWebhookUrl = env.SHIPPING_WEBHOOK_URL || undefined;
  if (shippingWebhookUrl && !/^https?:\/\/[^/]/.test(shippingWebhookUrl)) {
    problems.push('SHIPPING_WEBHOOK_URL must be an http(s) URL');
  } else if (shippingWebhookUrl) {
    // Credentials in it become Basic authorization: they must decode (the message never quotes them).
    try {
      shippingTarget(shippingWebhookUrl);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  const adminToken = env.ADMIN_TOKEN || (live ? undefined : randomBytes(24).toString('base64url'));

  const d = DEFAULT_CAPTURE_OPTIONS;
  const dt = DEFAULT_DATABASE_TIMEOUTS;
  const config: AppConfig = {
    port: int('PORT', 3000),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    migrateOnStart: bool('MIGRATE_ON_START', true),
    databaseTimeouts: {
      connectTimeoutMs: int('DATABASE_CONNECT_TIMEOUT_MS', dt.connectTimeoutMs, 1, TIMER_MAX_MS),
      statementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', dt.statementTimeoutMs, 1, TIMER_MAX_MS),
      lockTimeoutMs: int('DATABASE_LOCK_TIMEOUT_MS', dt.lockTimeoutMs, 1, TIMER_MAX_MS),
      idleInTransactionTimeoutMs: int(
        'DATABASE_IDLE_TRANSACTION_TIMEOUT_MS',
        dt.idleInTransactionTimeoutMs,
        1,
        TIMER_MAX_MS,
      ),
    },
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 262144, 1024),
    acquirerMode: live ? 'live' : 'sandbox',
    adminTokenGenerated: !env.ADMIN_TOKEN && !live,
    logLevel: logLevel && LOG_LEVELS.includes(logLevel) ? logLevel : undefined,
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 30000, 1, TIMER_MAX_MS),
    console: consoleFromEnv(env, bool('CONSOLE_ENABLED', true), problems),
    capture: {
      captureDeadlineDays: int('CAPTURE_DEADLINE_DAYS', d.captureDeadlineDays, 1),
      deadlineWarningHours: int('DEADLINE_WARNING_HOURS', d.deadlineWarningHours),
      schedulerIntervalMs: int('SCHEDULER_INTERVAL_MS', d.schedulerIntervalMs, 10, TIMER_MAX_MS),
      schedulerBatchSize: int('SCHEDULER_BATCH_SIZE', d.schedulerBatchSize, 1),
      schedulerConcurrency: int('SCHEDULER_CONCURRENCY', d.schedulerConcurrency, 1, 10_000),
      schedulerEnabled: bool('SCHEDULER_ENABLED', d.schedulerEnabled),
      inquiryBackoffMs: list('INQUIRY_BACKOFF_MS', d.inquiryBackoffMs),
      automaticCaptureGraceMs: int('AUTOMATIC_CAPTURE_GRACE_MS', d.automaticCaptureGraceMs),
      captureRetryMax: int('CAPTURE_RETRY_MAX', d.captureRetryMax),
      captureRetryBackoffMs: int('CAPTURE_RETRY_BACKOFF_MS', d.captureRetryBackoffMs),
      acquirerTimeoutMs: int('ACQUIRER_TIMEOUT_MS', d.acquirerTimeoutMs, 1, TIMER_MAX_MS),
      adminToken,
      opsToken: env.OPS_TOKEN || undefined,
      shippingWebhookUrl,
      antom,
      payermax,
    },
  };
  if (config.port > 65535) problems.push('PORT must be at most 65535');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
