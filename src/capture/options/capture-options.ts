import type { KeyObject } from 'node:crypto';

/** Antom, as configured (ANTOM_*): keys parsed once into KeyObjects. */
export interface AntomSettings {
  baseUrl: string;
  clientId: string;
  merchantPrivateKey: KeyObject;
  publicKey: KeyObject;
  /** The path Antom signs for notifications (ANTOM_NOTIFY_PATH), when a proxy rewrites it. */
  notifyPath: string;
}

/** PayerMax, as configured (PAYERMAX_*). */
export interface PayermaxSettings {
  baseUrl: string;
  appId: string;
  merchantNo: string;
  merchantPrivateKey: KeyObject;
  publicKey: KeyObject;
  /** The unit of PayerMax's `amount` fields (unconfirmed by PayerMax; major by default). */
  amountUnit: 'major' | 'minor';
}

/**
 * What the capture module needs to know, whoever hosts it. The standalone service fills it from
 * environment variables (src/config); a host app passes it to CaptureModule.forRoot[Async].
 */
export interface CaptureModuleOptions {
  /** Authorization lifetime counted from authorizedAt (CAPTURE_DEADLINE_DAYS). */
  captureDeadlineDays: number;
  /** Lead time of the deadline warning (DEADLINE_WARNING_HOURS). */
  deadlineWarningHours: number;
  /** How often the jobs look for due work (SCHEDULER_INTERVAL_MS). */
  schedulerIntervalMs: number;
  /** How many due orders one claim takes at most (SCHEDULER_BATCH_SIZE). */
  schedulerBatchSize: number;
  /**
   * Orders a job works on at once per instance, hence acquirer calls in flight
   * (SCHEDULER_CONCURRENCY): the scheduler claims more as each one finishes.
   */
  schedulerConcurrency: number;
  /** Whether this instance runs the jobs at all (a host may run them elsewhere). */
  schedulerEnabled: boolean;
  /** Delays before successive inquiries of a pending attempt; the last repeats. */
  inquiryBackoffMs: number[];
  /** AUTOMATIC orders: wait this long for the acquirer's own result before inquiring. */
  automaticCaptureGraceMs: number;
  captureRetryMax: number;
  captureRetryBackoffMs: number;
  /** Outbound HTTP timeout; a timeout counts as U. */
  acquirerTimeoutMs: number;
  /** Bearer token for /orders and /admin (ADMIN_TOKEN). Without one, those routes answer 401. */
  adminToken?: string;
  /** Bearer token for /metrics, /docs and /health/details (OPS_TOKEN); unset: the adminToken. */
  opsToken?: string;
  /** Where domain events are POSTed (SHIPPING_WEBHOOK_URL); unset: in-process listeners only. */
  shippingWebhookUrl?: string;
  /** Unset: notifications from that acquirer are refused (401) and it cannot be called. */
  antom?: AntomSettings;
  payermax?: PayermaxSettings;
}

export const DEFAULT_CAPTURE_OPTIONS: CaptureModuleOptions = {
  captureDeadlineDays: 7,
  deadlineWarningHours: 24,
  schedulerIntervalMs: 5000,
  schedulerBatchSize: 100,
  schedulerConcurrency: 64,
  schedulerEnabled: true,
  inquiryBackoffMs: [15000, 60000, 300000, 900000, 3600000],
  automaticCaptureGraceMs: 3600000,
  captureRetryMax: 3,
  captureRetryBackoffMs: 60000,
  acquirerTimeoutMs: 10000,
};

export const CAPTURE_OPTIONS = Symbol('CAPTURE_OPTIONS');
