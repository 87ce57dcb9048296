import type { Acquirer, CaptureStateName, DomainEventType, Money } from '../machine/capture-types';

/**
 * What a listener (`@OnEvent('order.captured')`) and the shipping webhook receive: the body
 * OrderEventApplier writes to the outbox (domainEventPayload). `id` is stable across retries, so
 * consumers deduplicate on it; delivery is at-least-once and in order per order.
 */
export interface DomainEvent {
  id: string;
  type: DomainEventType;
  occurredAt: string;
  order: {
    id: string;
    merchantOrderId: string;
    acquirer: Acquirer;
    paymentId: string | null;
    state: CaptureStateName;
    amount: Money;
    capturedAmount: Money;
    review: { reason: string; since: string } | null;
  };
}

export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = [
  'order.captured',
  'order.partially_captured',
  'order.capture_failed',
  'order.auto_cancelled',
  'order.partially_lapsed',
  'order.cancelled',
  'order.capture_deadline_approaching',
  'order.review_required',
];
