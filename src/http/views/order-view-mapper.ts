/**
 * Entities to the API's shapes (the public contract, docs/architecture.md). Times are ISO 8601 UTC, amounts
 * digit strings of minor units, states the machine's own names.
 */
import type { CaptureStateName } from '../../capture/machine/capture-types';
import type {
  CaptureAttemptEntity,
  InboundNotificationEntity,
  OrderEntity,
  OrderTransitionEntity,
} from '../../capture/persistence/entities';
import type { OrderDetail } from '../../capture/queries/order-detail.query';
import type { OrderStats } from '../../capture/queries/order-stats.query';
import type {
  AttemptView,
  NotificationView,
  OrderDetailView,
  OrderView,
  ShipmentView,
  StatsView,
  TransitionView,
} from '../dto/views.dto';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export function toOrderView(o: OrderEntity): OrderView {
  return {
    id: o.id,
    merchantOrderId: o.merchantOrderId,
    acquirer: o.acquirer,
    paymentId: o.paymentId,
    paymentRequestId: o.paymentRequestId,
    state: o.state,
    captureMode: o.captureMode,
    amount: { currency: o.currency, value: o.authorizedAmount },
    capturedAmount: { currency: o.currency, value: o.capturedAmount },
    authorizedAt: o.authorizedAt.toISOString(),
    captureDeadline: o.captureDeadline.toISOString(),
    captureAt: iso(o.captureAt),
    review: o.reviewReason
      ? { reason: o.reviewReason, since: iso(o.reviewSince) ?? o.updatedAt.toISOString() }
      : null,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

const NOT_SHIPPABLE: Record<Exclude<CaptureStateName, 'captured' | 'partiallyLapsed'>, string> = {
  authorized: 'not captured yet: the payment is only authorized',
  capturePending: 'capture pending: waiting for the acquirer to confirm',
  partiallyCaptured: 'partially captured: the capture is not complete',
  captureFailed: 'capture failed: nothing is captured',
  autoCancelled: 'authorization lapsed (auto-cancelled): nothing was captured',
  cancelled: 'cancelled: the authorization was voided',
};

/** Part was captured, but the merchant never closed the capture: the rest of the goods is unpaid. */
function lapsedInPart(o: OrderEntity): string {
  const lapsed = (BigInt(o.authorizedAmount) - BigInt(o.capturedAmount)).toString();
  return (
    `authorization lapsed in part: ${o.capturedAmount} of ${o.authorizedAmount} captured, ` +
    `the remaining ${lapsed} lapsed uncaptured`
  );
}

/** Shippable only when captured and no review is open; otherwise the reason says why not. */
export function toShipmentView(o: OrderEntity): ShipmentView {
  const review = o.reviewReason ? `under review: ${o.reviewReason}` : null;
  const state =
    o.state === 'partiallyLapsed' ? lapsedInPart(o) : o.state === 'captured' ? null : NOT_SHIPPABLE[o.state];
  const why = state === null ? review : [state, review].filter(Boolean).join('; ');
  return {
    shippable: why === null,
    state: o.state,
    capturedAmount: { currency: o.currency, value: o.capturedAmount },
    authorizedAmount: { currency: o.currency, value: o.authorizedAmount },
    reason: why,
  };
}

export function toAttemptView(a: CaptureAttemptEntity): AttemptView {
  return {
    captureRequestId: a.captureRequestId,
    amount: { currency: a.currency, value: a.amount },
    isLast: a.isLast,
    status: a.status,
    origin: a.origin,
    captureId: a.captureId,
    resultCode: a.resultCode,
    resultMessage: a.resultMessage,
    calledAt: iso(a.calledAt),
    inquiryCount: a.inquiryCount,
    nextInquiryAt: iso(a.nextInquiryAt),
    resolvedAt: iso(a.resolvedAt),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

function toTransitionView(t: OrderTransitionEntity): TransitionView {
  return { from: t.fromState, to: t.toState, event: t.eventType, source: t.source, at: t.at.toISOString() };
}

function toNotificationView(n: InboundNotificationEntity): NotificationView {
  return {
    id: n.id,
    acquirer: n.acquirer,
    notifyType: n.notifyType,
    outcome: n.outcome,
    detail: n.detail,
    captureRequestId: n.captureRequestId,
    rawBody: n.rawBody,
    receivedAt: n.receivedAt.toISOString(),
    processedAt: iso(n.processedAt),
  };
}

export function toOrderDetailView(d: OrderDetail): OrderDetailView {
  return {
    ...toOrderView(d.order),
    attempts: d.attempts.map(toAttemptView),
    transitions: d.transitions.map(toTransitionView),
    notifications: d.notifications.map(toNotificationView),
  };
}

export function toStatsView(s: OrderStats): StatsView {
  return { ...s, at: s.at.toISOString() };
}
