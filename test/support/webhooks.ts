/**
 * Helpers for the webhook HTTP tests: the service in live mode with both acquirers configured
 * from freshly generated keys, signed deliveries, and reads of what was stored.
 */
import { OrderEventApplier } from '../../src/capture/order-event-applier';
import type { CaptureEvent } from '../../src/capture/machine/capture-types';
import { InboundNotificationEntity } from '../../src/capture/persistence/entities';
import { UnitOfWork } from '../../src/capture/persistence/unit-of-work';
import {
  generateTestKeyPair,
  signAntomNotification,
  signPayermaxNotification,
  TEST_ANTOM_CLIENT_ID,
  type AntomSigningOptions,
  type TestKeyPair,
} from '../fixtures/seed-bodies';
import type { TestApp } from './http-app';

/** The seed's own PayerMax merchant, so that the seed sample verifies as it is. */
export const PAYERMAX_APP_ID = '5f843bfc8cec49c2b8e9e99847325548';
export const PAYERMAX_MERCHANT_NO = 'P01010114418097';

export const ANTOM_SUCCESS_ACK = {
  result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
};
export const PAYERMAX_SUCCESS_ACK = { code: 'SUCCESS', msg: 'Success' };

export interface WebhookKeys {
  /** The acquirers' signing keys: they sign notifications, we hold their public keys. */
  antom: TestKeyPair;
  payermax: TestKeyPair;
  merchant: TestKeyPair;
}

export function generateWebhookKeys(): WebhookKeys {
  return { antom: generateTestKeyPair(), payermax: generateTestKeyPair(), merchant: generateTestKeyPair() };
}

/** Live mode, both acquirers configured (PEM and base64 DER both in use), no scheduler. */
export function webhookEnv(keys: WebhookKeys, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ACQUIRER_MODE: 'live',
    ADMIN_TOKEN: 'webhook-test-admin-token',
    SCHEDULER_ENABLED: 'false',
    ANTOM_BASE_URL: 'http://127.0.0.1:9',
    ANTOM_CLIENT_ID: TEST_ANTOM_CLIENT_ID,
    ANTOM_MERCHANT_PRIVATE_KEY: keys.merchant.privateKeyBase64,
    ANTOM_PUBLIC_KEY: keys.antom.publicKeyPem,
    PAYERMAX_BASE_URL: 'http://127.0.0.1:9',
    PAYERMAX_APP_ID: PAYERMAX_APP_ID,
    PAYERMAX_MERCHANT_NO: PAYERMAX_MERCHANT_NO,
    PAYERMAX_MERCHANT_PRIVATE_KEY: keys.merchant.privateKeyPem,
    PAYERMAX_PUBLIC_KEY: keys.payermax.publicKeyBase64,
    ...extra,
  };
}

/** A webhook answer: status, parsed body (when JSON) and the exact text. */
export interface WebhookAnswer {
  status: number;
  body: unknown;
  text: string;
}

async function answer(res: Response): Promise<WebhookAnswer> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

export async function postAntom(
  t: TestApp,
  body: string | Buffer,
  keys: WebhookKeys,
  signing: AntomSigningOptions = {},
  headers: Record<string, string | undefined> = {},
): Promise<WebhookAnswer> {
  const merged: Record<string, string> = { ...signAntomNotification(body, keys.antom.privateKey, signing) };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return answer(await t.http('/webhooks/antom', { method: 'POST', headers: merged, body }));
}

export async function postPayermax(
  t: TestApp,
  body: string | Buffer,
  keys: WebhookKeys,
  headers: Record<string, string | undefined> = {},
): Promise<WebhookAnswer> {
  const merged: Record<string, string> = { ...signPayermaxNotification(body, keys.payermax.privateKey) };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return answer(await t.http('/webhooks/payermax/capture', { method: 'POST', headers: merged, body }));
}

let seq = 0;
/** Ids unique across tests, files and databases. */
export function uniqueId(prefix: string): string {
  seq += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${seq}`;
}

export interface AntomCaptureFields {
  paymentId: string;
  captureRequestId: string;
  captureId?: string;
  currency?: string;
  value?: string;
  status?: 'S' | 'F';
  resultCode?: string;
}

/** A notifyCapture body, compact JSON as a sender might produce it. */
export function antomCaptureBody(f: AntomCaptureFields): string {
  const status = f.status ?? 'S';
  return JSON.stringify({
    notifyType: 'CAPTURE_RESULT',
    result: {
      resultCode: f.resultCode ?? (status === 'S' ? 'SUCCESS' : 'PROCESS_FAIL'),
      resultStatus: status,
      resultMessage: status === 'S' ? 'success.' : 'General business failure.',
    },
    paymentId: f.paymentId,
    captureRequestId: f.captureRequestId,
    captureId: f.captureId ?? `cap-${f.captureRequestId}`,
    captureAmount: { currency: f.currency ?? 'USD', value: f.value ?? '10000' },
    captureTime: '2025-03-16T19:27:19-07:00',
  });
}

export interface PayermaxCaptureFields {
  outTradeNo: string;
  requestId: string;
  captureNo?: string;
  status?: 'SUCCESS' | 'FAILED' | 'PENDING';
  /** Major units, as PayerMax sends them; omitted when undefined (the seed sample omits it). */
  amount?: string;
  currency?: string;
  errorCode?: string;
}

export function payermaxCaptureBody(f: PayermaxCaptureFields): string {
  const status = f.status ?? 'SUCCESS';
  return JSON.stringify({
    code: 'APPLY_SUCCESS',
    msg: 'Success.',
    keyVersion: '1',
    appId: PAYERMAX_APP_ID,
    merchantNo: PAYERMAX_MERCHANT_NO,
    notifyTime: '2025-03-16T19:27:19.000+00:00',
    notifyType: 'CAPTURE',
    data: {
      captureNo: f.captureNo ?? `CN-${f.requestId}`,
      requestId: f.requestId,
      outTradeNo: f.outTradeNo,
      ...(f.amount !== undefined ? { amount: f.amount } : {}),
      ...(f.currency !== undefined ? { currency: f.currency } : {}),
      status,
      isFinal: 'True',
      createdTime: '2025-03-16T19:27:18.000+00:00',
      ...(status === 'FAILED'
        ? {
            failedTime: '2025-03-16T19:27:19.000+00:00',
            errorCode: f.errorCode ?? 'CAPTURE_FAILED',
            errorMsg: 'declined',
          }
        : {}),
    },
  });
}

/**
 * A committed capture attempt that was never sent: the after-commit effects are deliberately not
 * run, so no acquirer call (and no asynchronous transition) follows. It is what a crash right
 * after the commit leaves behind, and the acquirer's notification is what resolves it.
 */
export async function pendingAttempt(
  t: TestApp,
  orderId: string,
  captureRequestId: string,
  value: string,
  currency = 'USD',
) {
  const event: CaptureEvent = {
    type: 'CAPTURE_REQUESTED',
    captureRequestId,
    amount: { currency, value },
    at: new Date().toISOString(),
  };
  const result = await t.app
    .get(UnitOfWork)
    .run((em) => t.app.get(OrderEventApplier).applyWithin(em, orderId, event, 'test'), {
      skipAfterCommit: true,
    });
  if (result.kind !== 'applied') throw new Error(`capture request: ${result.kind}`);
}

/** Applies an event the way the scheduler would (e.g. DEADLINE_REACHED), effects included. */
export async function applyEvent(t: TestApp, orderId: string, event: CaptureEvent): Promise<void> {
  const result = await t.app.get(OrderEventApplier).apply(orderId, event, 'test');
  if (result.kind !== 'applied') throw new Error(`${event.type}: ${result.kind}`);
}

/** The stored notifications of a payment (PayerMax: its outTradeNo), oldest first. */
export function notifications(
  t: TestApp,
  acquirer: string,
  paymentId: string,
): Promise<InboundNotificationEntity[]> {
  return t.dataSource
    .getRepository(InboundNotificationEntity)
    .find({ where: { acquirer: acquirer as never, paymentId }, order: { id: 'ASC' } });
}

export function notificationCount(t: TestApp): Promise<number> {
  return t.dataSource.getRepository(InboundNotificationEntity).count();
}

export function storedWhere(
  t: TestApp,
  where: { paymentId?: string; captureRequestId?: string },
): Promise<InboundNotificationEntity[]> {
  return t.dataSource.getRepository(InboundNotificationEntity).find({ where, order: { id: 'ASC' } });
}
