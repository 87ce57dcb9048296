/**
 * What the clients of both acquirers share: how a wire status becomes S/F/U, and how a call is
 * repeated. Repeating is only ever done with the same request id, so the acquirer's own
 * idempotency guarantees it happens at most once however many times we ask.
 */
import { classifyResultCode } from '../capture/machine/result-codes';
import type { CallStatus } from '../capture/ports/acquirer-port';
import { delay, type ClientLogger } from './http';

/**
 * The wire status as our S/F/U. Anything we cannot read is U, never S: a success is only taken
 * from an explicit "S". An F whose code the classification table calls in-process (e.g.
 * UNKNOWN_EXCEPTION) is treated as U too, since the acquirer itself says it may still happen.
 */
export function callStatus(resultStatus: unknown, resultCode: string | undefined): CallStatus {
  if (resultStatus === 'S') return 'S';
  if (resultStatus === 'F') return classifyResultCode(resultCode) === 'inProcess' ? 'U' : 'F';
  return 'U';
}

export interface RetryPolicy {
  /** Extra attempts after the first (0: call once). */
  retries: number;
  /** Wait before the n-th retry: backoffMs * n. */
  backoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 2, backoffMs: 200 };

/**
 * Runs `attempt` until it gives a result that needs no retry, or the retries are used up; the
 * last result is returned as it is (a U stays a U for the caller to reconcile).
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  needsRetry: (result: T) => string | null,
  logger: ClientLogger,
  what: string,
): Promise<T> {
  let result = await attempt();
  for (let n = 1; n <= policy.retries; n++) {
    const reason = needsRetry(result);
    if (reason === null) return result;
    logger.warn(`${what}: ${reason}; retry ${n}/${policy.retries} with the same request id`);
    await delay(policy.backoffMs * n);
    result = await attempt();
  }
  return result;
}

/** A call that failed or got no usable answer where the port says to throw (inquiries). */
export class AcquirerCallError extends Error {
  constructor(
    readonly resultCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'AcquirerCallError';
  }
}
