/**
 * When to ask the acquirer again (INQUIRY_BACKOFF_MS: delays before successive inquiries, the
 * last one repeating). Pure time arithmetic, shared by the capture executor, reconciliation,
 * and next-check (AUTOMATIC orders waiting for the acquirer's own capture).
 *
 * Inquiries never go past the deadline: the last regular one comes `lastInquiryLeadMs` before
 * it, and at the deadline itself the deadline job inquires once more before expiring the order.
 */

/** The delay when a host passes an empty list (the environment cannot produce one). */
const FALLBACK_DELAY_MS = 60_000;

/** How long before the deadline the last regular inquiry is placed. */
export function lastInquiryLeadMs(backoff: readonly number[]): number {
  return Math.min(60_000, backoff[0] ?? FALLBACK_DELAY_MS);
}

/** The delay before inquiry number `count + 1` (count = inquiries already made). */
export function inquiryDelayMs(count: number, backoff: readonly number[]): number {
  return backoff[Math.min(Math.max(count, 0), backoff.length - 1)] ?? FALLBACK_DELAY_MS;
}

/**
 * The next inquiry of a pending attempt after `count` inquiries, counted from `from`; null when
 * none fits before the deadline's last slot (the deadline job asks at the deadline).
 */
export function nextInquiryAt(
  from: Date,
  count: number,
  deadline: Date,
  backoff: readonly number[],
): Date | null {
  return clampToDeadline(from.getTime(), from.getTime() + inquiryDelayMs(count, backoff), deadline, backoff);
}

/**
 * AUTOMATIC orders: inquiries fall at fixed points from `origin` (the end of the grace period),
 * origin, origin + b0, + b1, ... (the last delay repeating). Returns the first point after
 * `after`, so the schedule needs no stored counter; null when none fits before the deadline.
 */
export function scheduledInquiryAfter(
  origin: Date,
  after: Date,
  deadline: Date,
  backoff: readonly number[],
): Date | null {
  const now = after.getTime();
  let t = origin.getTime();
  let i = 0;
  while (t <= now && i < backoff.length) t += inquiryDelayMs(i++, backoff);
  if (t <= now) {
    // Past the listed delays the last one repeats: jump there arithmetically, not by looping.
    const last = inquiryDelayMs(backoff.length - 1, backoff);
    t += (Math.floor((now - t) / last) + 1) * last;
  }
  return clampToDeadline(now, t, deadline, backoff);
}

function clampToDeadline(now: number, t: number, deadline: Date, backoff: readonly number[]): Date | null {
  const lastSlot = deadline.getTime() - lastInquiryLeadMs(backoff);
  if (t < lastSlot) return new Date(t);
  return now < lastSlot ? new Date(lastSlot) : null;
}
