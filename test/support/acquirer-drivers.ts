/**
 * One driver per acquirer for the webhook specs: what differs between Antom and PayerMax (the
 * body, the signature, the route, the acknowledgements, the shape of ids) behind one interface,
 * so that behaviour common to both is one `describe.each(DRIVERS)` spec.
 */
import type { Acquirer, RegisterOrderInput } from '../../src/index';
import type { InboundNotificationEntity } from '../../src/capture/persistence/entities';
import { signAntomNotification, signPayermaxNotification } from '../fixtures/seed-bodies';
import { registerOrder, type OrderBody, type TestApp } from './http-app';
import {
  ANTOM_SUCCESS_ACK,
  antomCaptureBody,
  notifications,
  PAYERMAX_SUCCESS_ACK,
  payermaxCaptureBody,
  postAntom,
  postPayermax,
  uniqueId,
  type WebhookAnswer,
  type WebhookKeys,
} from './webhooks';

/** A capture result in the acquirer-neutral terms of our domain. */
interface CaptureNotice {
  /** Antom's paymentId, PayerMax's outTradeNo. */
  paymentId: string;
  /** Antom's captureRequestId, PayerMax's requestId. */
  captureRequestId: string;
  outcome?: 'success' | 'failure';
  /** Minor units. Antom always reports an amount (default 10000); PayerMax only when given. */
  value?: string;
  currency?: string;
  /** The acquirer's code for a failure (Antom resultCode, PayerMax errorCode). */
  failureCode?: string;
}

interface SendOptions {
  delivery?: number;
  headers?: Record<string, string | undefined>;
}

export interface AcquirerDriver {
  name: Acquirer;
  /** The notifyType stored for a capture result. */
  notifyType: string;
  /** The success acknowledgement, parsed and as the exact text the acquirer expects. */
  successAck: unknown;
  successAckText: string;
  /** The failure acknowledgement carrying `code`, as toMatchObject expects it. */
  failureAck(code: string): unknown;
  /** A fresh payment id of the shape the acquirer allows. */
  paymentId(): string;
  captureRequestId(): string;
  captureBody(n: CaptureNotice): string;
  /** The header that carries the signature. */
  signatureHeader: string;
  /** The headers the acquirer sends with `body`, signed with its key in `keys`. */
  signedHeaders(body: string, keys: WebhookKeys): Record<string, string>;
  /**
   * Signs and posts `body`. `delivery` numbers redeliveries, each signed again as the acquirer
   * would; `headers` replace the signed ones (undefined removes one).
   */
  send(t: TestApp, body: string, keys: WebhookKeys, options?: SendOptions): Promise<WebhookAnswer>;
  /** Registers an order of this acquirer with a fresh payment id (unless given). */
  register(t: TestApp, overrides?: Partial<RegisterOrderInput>): Promise<OrderBody & { paymentId: string }>;
  notifications(t: TestApp, paymentId: string): Promise<InboundNotificationEntity[]>;
}

/** "10000" minor units as PayerMax's major-unit text "100.00" (two-decimal currencies). */
const major = (minor: string) => `${minor.slice(0, -2) || '0'}.${minor.slice(-2).padStart(2, '0')}`;

function driver(
  d: Omit<AcquirerDriver, 'register' | 'notifications' | 'failureAck'> & {
    failureAck: AcquirerDriver['failureAck'];
  },
): AcquirerDriver {
  return {
    ...d,
    register: async (t, overrides = {}) =>
      (await registerOrder(t, {
        acquirer: d.name,
        paymentId: d.paymentId(),
        ...overrides,
      })) as OrderBody & { paymentId: string },
    notifications: (t, paymentId) => notifications(t, d.name, paymentId),
  };
}

export const ANTOM = driver({
  name: 'antom',
  notifyType: 'CAPTURE_RESULT',
  successAck: ANTOM_SUCCESS_ACK,
  successAckText: JSON.stringify(ANTOM_SUCCESS_ACK),
  failureAck: (code) => ({
    result: { resultCode: code, resultStatus: 'F', resultMessage: expect.any(String) },
  }),
  paymentId: () => uniqueId('PAY'),
  captureRequestId: () => uniqueId('CR'),
  captureBody: (n) =>
    antomCaptureBody({
      paymentId: n.paymentId,
      captureRequestId: n.captureRequestId,
      value: n.value,
      currency: n.currency,
      status: n.outcome === 'failure' ? 'F' : 'S',
      resultCode: n.failureCode,
    }),
  signatureHeader: 'signature',
  signedHeaders: (body, keys) => signAntomNotification(body, keys.antom.privateKey),
  // Antom signs each delivery anew, with its own request-time.
  send: (t, body, keys, { delivery, headers } = {}) =>
    postAntom(
      t,
      body,
      keys,
      delivery === undefined ? {} : { requestTime: `${1742178439000 + delivery * 120000}` },
      headers,
    ),
});

export const PAYERMAX = driver({
  name: 'payermax',
  notifyType: 'CAPTURE',
  successAck: PAYERMAX_SUCCESS_ACK,
  successAckText: '{"code":"SUCCESS","msg":"Success"}',
  failureAck: (code) => ({ code, msg: expect.any(String) }),
  // outTradeNo: at most 32 characters.
  paymentId: () => uniqueId('OT').slice(0, 32),
  captureRequestId: () => uniqueId('RQ'),
  captureBody: (n) =>
    payermaxCaptureBody({
      outTradeNo: n.paymentId,
      requestId: n.captureRequestId,
      amount: n.value === undefined ? undefined : major(n.value),
      currency: n.currency ?? (n.value === undefined ? undefined : 'USD'),
      status: n.outcome === 'failure' ? 'FAILED' : 'SUCCESS',
      errorCode: n.failureCode,
    }),
  signatureHeader: 'sign',
  signedHeaders: (body, keys) => signPayermaxNotification(body, keys.payermax.privateKey),
  // PayerMax's sign covers the body only: a redelivery is the same request.
  send: (t, body, keys, { headers } = {}) => postPayermax(t, body, keys, headers),
});

export const DRIVERS: AcquirerDriver[] = [ANTOM, PAYERMAX];
