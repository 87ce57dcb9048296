import { CaptureScheduler } from './capture-scheduler';
import { DueOrderProcessor } from './due-order-processor';
import { LeaseClaims } from './lease-claims';

export { CaptureScheduler, DueOrderProcessor, LeaseClaims };
export type { TickSummary } from './capture-scheduler';
export type { DueAction } from './due-order-processor';

export const SCHEDULER_PROVIDERS = [LeaseClaims, DueOrderProcessor, CaptureScheduler];
