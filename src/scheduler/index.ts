import { CaptureScheduler } from './capture-scheduler';
import { DueOrderProcessor } from './due-order-processor';
import { LeaseClaims } from './lease-claims';

export { CaptureScheduler };

export const SCHEDULER_PROVIDERS = [LeaseClaims, DueOrderProcessor, CaptureScheduler];
