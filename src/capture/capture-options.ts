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
  /** Delays before successive inquiries of a pending attempt; the last repeats. */
  inquiryBackoffMs: number[];
  /** AUTOMATIC orders: wait this long for the acquirer's own result before inquiring. */
  automaticCaptureGraceMs: number;
  captureRetryMax: number;
  captureRetryBackoffMs: number;
  /** Outbound HTTP timeout; a timeout counts as U. */
  acquirerTimeoutMs: number;
}

export const DEFAULT_CAPTURE_OPTIONS: CaptureModuleOptions = {
  captureDeadlineDays: 7,
  deadlineWarningHours: 24,
  schedulerIntervalMs: 5000,
  inquiryBackoffMs: [15000, 60000, 300000, 900000, 3600000],
  automaticCaptureGraceMs: 3600000,
  captureRetryMax: 3,
  captureRetryBackoffMs: 60000,
  acquirerTimeoutMs: 10000,
};

export const CAPTURE_OPTIONS = Symbol('CAPTURE_OPTIONS');
