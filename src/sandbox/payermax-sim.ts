/**
 * The simulated PayerMax: capture and cancel behind the signed envelope (the `sign` header over
 * the raw body, requestTime within two minutes), `{code, msg, data}` responses and CAPTURE
 * notifications signed with the sandbox's key. One capture per authorization, as documented.
 */
import type { KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  PAYERMAX_SIGN_HEADER,
  signPayermaxBody,
  verifyPayermaxBody,
} from '../acquirers/payermax/payermax-signature';
import {
  fromPayermaxAmount,
  PAYERMAX_APPLY_SUCCESS,
  PAYERMAX_CONTENT_TYPE,
  PAYERMAX_KEY_VERSION,
  toPayermaxAmount,
  type AmountUnit,
} from '../acquirers/payermax/payermax-wire';
import { isJsonObject, type JsonObject } from '../acquirers/validation';
import { headerValue } from '../acquirers/headers';
import { isCurrencyCode } from '../capture/money/money';
import { answerLatency, HeldRequests, parseObject, rawBody } from './http-kit';
import type { Ledger } from './ledger';
import type { Delivery } from './notifier';
import type { SandboxCapture } from './sandbox-types';

export interface PayermaxSimConfig {
  appId?: string;
  merchantNo?: string;
  merchantPublicKey: KeyObject;
  privateKey: KeyObject;
  amountUnit: AmountUnit;
  /** Wait before answering a capture (SandboxOptions.captureLatencyMs). */
  captureLatencyMs?: number;
}

const REQUEST_TIME_TOLERANCE_MS = 2 * 60_000;
const STATUS = { S: 'SUCCESS', F: 'FAILED', U: 'PENDING' } as const;

export function registerPayermaxRoutes(
  app: FastifyInstance,
  cfg: PayermaxSimConfig,
  ledger: Ledger,
  held: HeldRequests,
  /** The merchant (appId, merchantNo) each requestId arrived from: notifications go back to it. */
  merchants: Map<string, { appId: string; merchantNo?: string }>,
): void {
  const send = (reply: FastifyReply, payload: JsonObject) => {
    const body = JSON.stringify(payload);
    return reply
      .header('content-type', PAYERMAX_CONTENT_TYPE)
      .header(PAYERMAX_SIGN_HEADER, signPayermaxBody(cfg.privateKey, body))
      .send(body);
  };
  const refuse = (reply: FastifyReply, code: string, msg: string) => {
    ledger.refused();
    return send(reply, { code, msg });
  };

  const route = (
    name: string,
    handle: (req: FastifyRequest, reply: FastifyReply, envelope: Envelope) => unknown,
  ) =>
    app.post(`/aggregate-pay/api/gateway/${name}`, async (req, reply) => {
      const bytes = rawBody(req);
      if (!verifyPayermaxBody(cfg.merchantPublicKey, bytes, headerValue(req.headers, PAYERMAX_SIGN_HEADER))) {
        return refuse(reply, 'SIGN_VERIFY_FAILED', 'The signature verify failed.');
      }
      const envelope = readEnvelope(parseObject(bytes));
      if (typeof envelope === 'string') return refuse(reply, 'PARAMS_INVALID', envelope);
      if (cfg.appId !== undefined && envelope.appId !== cfg.appId) {
        return refuse(reply, 'MERCHANT_APP_INVALID', 'unknown appId');
      }
      if (cfg.merchantNo !== undefined && envelope.merchantNo !== cfg.merchantNo) {
        return refuse(reply, 'MERCHANT_INVALID', 'unknown merchantNo');
      }
      return handle(req, reply, envelope);
    });

  route('capture', async (req, reply, envelope) => {
    const { data } = envelope;
    const requestId = id(data.requestId);
    const outTradeNo = id(data.outTradeNo);
    const currency = data.currency;
    if (!requestId || !outTradeNo || !isCurrencyCode(currency)) {
      return refuse(reply, 'PARAMS_INVALID', 'requestId, outTradeNo and currency are required');
    }
    const value = fromPayermaxAmount(data.amount, currency, cfg.amountUnit);
    if (value === undefined || value === '0') {
      return refuse(
        reply,
        'PARAMS_INVALID',
        `amount is not a valid ${cfg.amountUnit}-unit amount of ${currency}`,
      );
    }
    merchants.set(requestId, { appId: envelope.appId, merchantNo: envelope.merchantNo });
    const amount = { currency, value };
    const verdict = ledger.capture({
      acquirer: 'payermax',
      captureRequestId: requestId,
      paymentId: outTradeNo,
      amount,
      isLast: true,
    });
    if (verdict.respond === 'hang' || verdict.respond === 'lose') return held.hold(req, reply);
    await answerLatency(cfg.captureLatencyMs);
    if (verdict.respond === 'drop') return held.drop(req, reply);
    if (verdict.refusal) return send(reply, { code: verdict.refusal.code, msg: verdict.refusal.message });
    return send(reply, {
      code: PAYERMAX_APPLY_SUCCESS,
      msg: 'Success.',
      data: captureData(verdict.capture!, cfg.amountUnit),
    });
  });

  route('cancel', (_req, reply, envelope) => {
    const requestId = id(envelope.data.requestId);
    const outTradeNo = id(envelope.data.outTradeNo);
    if (!requestId || !outTradeNo)
      return refuse(reply, 'PARAMS_INVALID', 'requestId and outTradeNo are required');
    const outcome = ledger.cancel({ paymentId: outTradeNo });
    const status = outcome.status === 'S' ? 'SUCCESS' : 'FAILED';
    const failure = outcome.status === 'F' ? { errorCode: outcome.code, errorMsg: outcome.message } : {};
    return send(reply, {
      code: PAYERMAX_APPLY_SUCCESS,
      msg: 'Success.',
      data: { requestId, outTradeNo, status, ...failure },
    });
  });
}

interface Envelope {
  appId: string;
  merchantNo?: string;
  data: JsonObject;
}

function readEnvelope(body: JsonObject | null): Envelope | string {
  if (!body) return 'the body is not a JSON object';
  if (typeof body.appId !== 'string' || body.appId === '') return 'appId is required';
  if (body.keyVersion !== PAYERMAX_KEY_VERSION) return `keyVersion must be ${PAYERMAX_KEY_VERSION}`;
  const at = typeof body.requestTime === 'string' ? Date.parse(body.requestTime) : NaN;
  if (Number.isNaN(at) || Math.abs(Date.now() - at) > REQUEST_TIME_TOLERANCE_MS) {
    return 'requestTime must be an RFC 3339 time within two minutes of now';
  }
  if (!isJsonObject(body.data)) return 'data is required';
  const merchantNo = typeof body.merchantNo === 'string' ? body.merchantNo : undefined;
  return { appId: body.appId, merchantNo, data: body.data };
}

function id(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= 64 ? value : undefined;
}

/** The capture as PayerMax describes it, in responses and notifications alike. */
function captureData(c: SandboxCapture, unit: AmountUnit): JsonObject {
  return {
    captureNo: c.captureId,
    requestId: c.captureRequestId,
    outTradeNo: c.paymentId,
    amount: toPayermaxAmount(c.amount, unit),
    currency: c.amount.currency,
    status: STATUS[c.status],
    isFinal: 'True',
    createdTime: c.createdAt,
    ...(c.status === 'S' ? { succeededTime: c.finishedAt } : {}),
    ...(c.status === 'F'
      ? { failedTime: c.finishedAt, errorCode: c.resultCode, errorMsg: c.resultMessage }
      : {}),
  };
}

/** A CAPTURE notification; `stalePending` sends the capture as it was before it finished. */
export function payermaxDelivery(
  cfg: PayermaxSimConfig & { notifyPath: string },
  capture: SandboxCapture,
  merchant: { appId: string; merchantNo?: string },
  options: { copy: number; delayMs: number; stalePending?: boolean },
): Delivery {
  const shown: SandboxCapture = options.stalePending
    ? { ...capture, status: 'U', resultCode: 'PENDING', resultMessage: '', finishedAt: undefined }
    : capture;
  const failed = shown.status === 'F';
  const body = JSON.stringify({
    code: failed ? shown.resultCode : PAYERMAX_APPLY_SUCCESS,
    msg: failed ? shown.resultMessage : 'Success.',
    keyVersion: PAYERMAX_KEY_VERSION,
    appId: merchant.appId,
    ...(merchant.merchantNo ? { merchantNo: merchant.merchantNo } : {}),
    notifyTime: new Date().toISOString(),
    notifyType: 'CAPTURE',
    data: captureData(shown, cfg.amountUnit),
  });
  return {
    acquirer: 'payermax',
    captureRequestId: capture.captureRequestId,
    paymentId: capture.paymentId,
    kind: options.stalePending ? 'stalePending' : 'final',
    status: shown.status,
    copy: options.copy,
    delayMs: options.delayMs,
    build: () => ({
      path: cfg.notifyPath,
      body,
      headers: {
        'content-type': PAYERMAX_CONTENT_TYPE,
        [PAYERMAX_SIGN_HEADER]: signPayermaxBody(cfg.privateKey, body),
      },
    }),
    acknowledged: (status, text) =>
      status === 200 && parseObject(Buffer.from(text, 'utf8'))?.code === 'SUCCESS',
  };
}
