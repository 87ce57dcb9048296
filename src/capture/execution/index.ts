import { AttemptLedger } from './attempt-ledger';
import { CaptureExecutor } from './capture-executor';
import { ReconciliationService } from './reconciliation.service';

/** Calling the acquirer after commit, and asking it afterwards (CaptureRequestService is registered on its own). */
export const EXECUTION_PROVIDERS = [AttemptLedger, CaptureExecutor, ReconciliationService];
