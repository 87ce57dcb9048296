/**
 * Antom notifications as inbox entries: notifyCapture (CAPTURE_RESULT) becomes a capture result
 * for the machine; notifyPayment (PAYMENT_RESULT) confirms an order's authorization, or flags a
 * failed one; other types are kept and acknowledged only.
 */
import {
  antomCaptureEvent,
  antomDedupeKey,
  validateAntomNotification,
  type AntomPaymentResult,
} from '../acquirers/antom/antom-notification';
import { checkAuthorizationTime } from '../capture/dates';
import type { CaptureEvent } from '../capture/machine/capture-types';
import { boundText } from '../capture/persistence/entities/stored-text';
import {
  idAt,
  reviewFlag,
  type Interpretation,
  type NotificationPlan,
  type PlanContext,
} from './inbound-notification';

const DAY = 86_400_000;

export function interpretAntom(body: unknown, rawBody: Buffer | string): Interpretation {
  const validated = validateAntomNotification(body);
  if (!validated.ok) {
    return {
      ok: false,
      errors: validated.errors,
      notifyType: idAt(body, ['notifyType'], 32),
      paymentId: idAt(body, ['paymentId']),
      captureRequestId: idAt(body, ['captureRequestId']),
    };
  }
  const n = validated.value;
  const dedupeKey = antomDedupeKey(n, rawBody);
  if (n.kind === 'captureResult') {
    const c = n.notification;
    return {
      ok: true,
      notification: {
        acquirer: 'antom',
        notifyType: c.notifyType,
        dedupeKey,
        paymentId: c.paymentId,
        captureRequestId: c.captureRequestId,
        plan: ({ at }) => ({ events: [antomCaptureEvent(c, at)] }),
      },
    };
  }
  if (n.kind === 'paymentResult') {
    const p = n.notification;
    return {
      ok: true,
      notification: {
        acquirer: 'antom',
        notifyType: p.notifyType,
        dedupeKey,
        paymentId: p.paymentId,
        paymentRequestId: p.paymentRequestId,
        captureRequestId: null,
        plan: (ctx) => paymentResultPlan(p, ctx),
      },
    };
  }
  return {
    ok: true,
    notification: {
      acquirer: 'antom',
      notifyType: boundText(n.notifyType, 32),
      dedupeKey,
      paymentId: idAt(body, ['paymentId']),
      captureRequestId: null,
      note: `notifyType ${n.notifyType} is stored and acknowledged, not applied`,
    },
  };
}

/**
 * The authorization result carries no capture mode, so it never creates an order: it confirms
 * a registered one (authorization time, hence deadline; a missing paymentId) or flags it.
 */
function paymentResultPlan(
  p: AntomPaymentResult,
  { order, at, captureDeadlineDays }: PlanContext,
): NotificationPlan {
  const { resultStatus, resultCode, resultMessage } = p.result;
  if (resultStatus === 'U') return { events: [], note: 'the authorization is still in process' };
  if (order.paymentId !== null && order.paymentId !== p.paymentId) {
    const reason = `authorization result for paymentId ${p.paymentId}, the order has ${order.paymentId}`;
    return { events: [reviewFlag(reason, at)] };
  }
  if (resultStatus === 'F') {
    const why = resultMessage ? `${resultCode}: ${resultMessage}` : resultCode;
    return { events: [reviewFlag(`the acquirer reports the authorization failed (${why})`, at)] };
  }
  const events: CaptureEvent[] = [];
  const plan: NotificationPlan = { events };
  if (order.paymentId === null) plan.paymentId = p.paymentId;
  const amount = p.paymentAmount;
  if (amount.currency !== order.currency || amount.value !== order.authorizedAmount) {
    const reason = `authorized ${amount.currency} ${amount.value} where the order has ${order.currency} ${order.authorizedAmount}`;
    events.push(reviewFlag(reason, at));
  }
  // The deadline counts from paymentTime: a rolled-over, far-future or ancient value would
  // schedule nonsense, so it is not applied; a person looks at it instead.
  const time = p.paymentTime === undefined ? undefined : checkAuthorizationTime(p.paymentTime, new Date(at));
  if (time?.ok) {
    const authorizedAt = time.date.toISOString();
    const captureDeadline = new Date(time.date.getTime() + captureDeadlineDays * DAY).toISOString();
    events.push({ type: 'AUTHORIZATION_CONFIRMED', authorizedAt, captureDeadline, at });
    plan.authorizedAt = authorizedAt;
  } else if (time) {
    const reason = `the authorization result's paymentTime ${p.paymentTime} ${time.rule}; the capture deadline stays as registered`;
    events.push(reviewFlag(reason, at));
  }
  if (events.length === 0 && !plan.paymentId) plan.note = 'the authorization is already as registered';
  return plan;
}
