/**
 * A verified notification as the inbox sees it, whatever the acquirer: where it belongs (payment
 * and capture ids), the key that makes its retries collide, and what it means for an order once
 * that order is known and locked. Built by antom-inbound.ts / payermax-inbound.ts from the raw
 * body, again when a stored orphan is replayed, so both paths apply exactly the same thing.
 */
import type { Acquirer, CaptureEvent } from '../capture/machine/capture-types';
import type { OrderEntity } from '../capture/persistence/entities';
import { isJsonObject, RULES } from '../acquirers/validation';
import type { FieldError } from '../capture/field-rules';
import { cleanText } from '../capture/persistence/entities/stored-text';

export interface PlanContext {
  /** Read under the order's lock, in the transaction that applies the plan. */
  order: OrderEntity;
  /** The receive time, as the events' `at`. */
  at: string;
  captureDeadlineDays: number;
}

export interface NotificationPlan {
  events: CaptureEvent[];
  /** Order columns the machine does not own, filled from the acquirer's authorization result. */
  paymentId?: string;
  authorizedAt?: string;
  /** Why nothing is applied, when there are no events. */
  note?: string;
}

export interface InboundNotification {
  acquirer: Acquirer;
  notifyType: string;
  dedupeKey: string;
  /** The payment it belongs to (PayerMax: outTradeNo); null when the type names none. */
  paymentId: string | null;
  /** Antom payment results also match an order registered by paymentRequestId. */
  paymentRequestId?: string;
  captureRequestId: string | null;
  /** Absent: a type we store and acknowledge but do not apply; `note` says so. */
  plan?: (ctx: PlanContext) => NotificationPlan;
  note?: string;
}

/** What a rejected body is stored with: whatever ids could be read from it. */
export interface RejectedSummary {
  notifyType: string | null;
  paymentId: string | null;
  captureRequestId: string | null;
}

export type Interpretation =
  { ok: true; notification: InboundNotification } | ({ ok: false; errors: FieldError[] } & RejectedSummary);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parsed only after the signature verified; a body that is not JSON is a field error like any other. */
export function parseBody(bytes: Buffer): { ok: true; value: unknown } | { ok: false; errors: FieldError[] } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, errors: [{ field: 'body', rule: 'must be UTF-8 encoded JSON' }] };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, errors: [{ field: 'body', rule: `${RULES.body} (it is not valid JSON)` }] };
  }
}

/** A string field of an unvalidated body, if it is short enough to store as an id; cleaned. */
export function idAt(body: unknown, path: string[], max = 64): string | null {
  let value: unknown = body;
  for (const key of path) value = isJsonObject(value) ? value[key] : undefined;
  return typeof value === 'string' && value.length > 0 && [...value].length <= max ? cleanText(value) : null;
}

export function reviewFlag(reason: string, at: string): CaptureEvent {
  return { type: 'REVIEW_FLAGGED', reason, at };
}
