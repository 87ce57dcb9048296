/**
 * The simulated Antom: capture, inquiryPayment and cancel on both the live and the sandbox
 * paths, requests verified with the merchant's public key exactly as Antom does (over the path
 * they arrived on, in origin form: an absolute-form target signs the same), responses and
 * CAPTURE_RESULT notifications signed with the sandbox's key.
 */
import type { KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signAntomMessage, verifyAntomMessage } from '../acquirers/antom/antom-signature';
import { headerValue } from '../acquirers/headers';
import { ANTOM_CONTENT_TYPE } from '../acquirers/antom/antom-wire';
import { originForm } from '../acquirers/request-target';
import { isJsonObject, type JsonObject } from '../acquirers/validation';
import { isCurrencyCode, isMinorUnits } from '../capture/money/money';
import { answerLatency, HeldRequests, parseObject, rawBody } from './http-kit';
import type { Ledger } from './ledger';
import type { Delivery } from './notifier';
import type { SandboxCapture } from './sandbox-types';

export interface AntomSimConfig {
  clientId?: string;
  merchantPublicKey: KeyObject;
  privateKey: KeyObject;
  /** Wait before answering a capture (SandboxOptions.captureLatencyMs). */
  captureLatencyMs?: number;
}

type Result = { resultCode: string; resultStatus: 'S' | 'F' | 'U'; resultMessage: string };
const fail = (resultCode: string, resultMessage: string): Result => ({
  resultCode,
  resultStatus: 'F',
  resultMessage,
});

/** Antom's own timestamp style: seconds and an offset (2022-11-10T08:34:52+00:00). */
function antomTime(at: Date | string): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function registerAntomRoutes(
  app: FastifyInstance,
  cfg: AntomSimConfig,
  ledger: Ledger,
  held: HeldRequests,
  /** The client id each captureRequestId arrived with: notifications are addressed to it. */
  clients: Map<string, string>,
): void {
  const send = (req: FastifyRequest, reply: FastifyReply, clientId: string, payload: JsonObject) => {
    const body = JSON.stringify(payload);
    const responseTime = antomTime(new Date());
    const signature = signAntomMessage(cfg.privateKey, {
      method: 'POST',
      path: originForm(req.url),
      clientId,
      requestTime: responseTime,
      body,
    });
    return reply
      .header('content-type', ANTOM_CONTENT_TYPE)
      .header('client-id', clientId)
      .header('response-time', responseTime)
      .header('signature', signature)
      .send(body);
  };

  /** Signature first, then the body: what a refused request says is all it gets to know. */
  const authenticate = (
    req: FastifyRequest,
  ): { clientId: string; body: JsonObject } | { refusal: Result } => {
    const clientId = headerValue(req.headers, 'client-id');
    const requestTime = headerValue(req.headers, 'request-time');
    if (!clientId || !requestTime)
      return { refusal: fail('INVALID_SIGNATURE', 'client-id and request-time are required') };
    if (cfg.clientId !== undefined && clientId !== cfg.clientId) {
      return { refusal: fail('INVALID_CLIENT', 'unknown client-id') };
    }
    const message = { method: 'POST', path: originForm(req.url), clientId, requestTime, body: rawBody(req) };
    if (!verifyAntomMessage(cfg.merchantPublicKey, message, headerValue(req.headers, 'signature'))) {
      return { refusal: fail('INVALID_SIGNATURE', 'the request signature does not verify') };
    }
    const body = parseObject(rawBody(req));
    if (!body) return { refusal: fail('PARAM_ILLEGAL', 'the body is not a JSON object') };
    return { clientId, body };
  };

  const route = (
    name: string,
    handle: (req: FastifyRequest, reply: FastifyReply, clientId: string, body: JsonObject) => unknown,
  ) => {
    for (const prefix of ['/ams/api', '/ams/sandbox/api']) {
      app.post(`${prefix}/v1/payments/${name}`, async (req, reply) => {
        const auth = authenticate(req);
        if ('refusal' in auth) {
          ledger.refused();
          return send(req, reply, headerValue(req.headers, 'client-id') ?? '', { result: auth.refusal });
        }
        return handle(req, reply, auth.clientId, auth.body);
      });
    }
  };

  route('capture', async (req, reply, clientId, body) => {
    const parsed = captureRequest(body);
    if ('refusal' in parsed) {
      ledger.refused();
      return send(req, reply, clientId, { result: parsed.refusal });
    }
    clients.set(parsed.captureRequestId, clientId);
    const verdict = ledger.capture({ acquirer: 'antom', ...parsed });
    if (verdict.respond === 'hang' || verdict.respond === 'lose') return held.hold(req, reply);
    await answerLatency(cfg.captureLatencyMs);
    if (verdict.respond === 'drop') return held.drop(req, reply);
    if (verdict.refusal) {
      const { code, message } = verdict.refusal;
      return send(req, reply, clientId, {
        result: fail(code, message),
        captureRequestId: parsed.captureRequestId,
      });
    }
    return send(req, reply, clientId, captureResponse(verdict.capture!));
  });

  route('inquiryPayment', (req, reply, clientId, body) => {
    const paymentId =
      typeof body.paymentId === 'string' && body.paymentId !== '' ? body.paymentId : undefined;
    const paymentRequestId = typeof body.paymentRequestId === 'string' ? body.paymentRequestId : undefined;
    if (!paymentId && !paymentRequestId) {
      return send(req, reply, clientId, {
        result: fail('PARAM_ILLEGAL', 'paymentId or paymentRequestId is required'),
      });
    }
    const found = ledger.inquire({ paymentId, paymentRequestId });
    if (!found) return send(req, reply, clientId, { result: fail('ORDER_NOT_EXIST', 'no such payment') });
    if (found.mode === 'hang') return held.hold(req, reply);
    if (found.mode === 'unknown') {
      const result: Result = {
        resultCode: 'UNKNOWN_EXCEPTION',
        resultStatus: 'U',
        resultMessage: 'try again',
      };
      return send(req, reply, clientId, { result });
    }
    return send(req, reply, clientId, {
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
      paymentId: found.paymentId,
      ...(found.paymentRequestId ? { paymentRequestId: found.paymentRequestId } : {}),
      paymentStatus: found.cancelled ? 'CANCELLED' : 'SUCCESS',
      transactions: found.captures.map(transaction),
    });
  });

  route('cancel', (req, reply, clientId, body) => {
    const outcome = ledger.cancel({
      paymentId: str(body.paymentId),
      paymentRequestId: str(body.paymentRequestId),
    });
    const result: Result = {
      resultCode: outcome.code,
      resultStatus: outcome.status,
      resultMessage: outcome.message,
    };
    return send(req, reply, clientId, {
      result,
      ...(outcome.paymentId ? { paymentId: outcome.paymentId } : {}),
      ...(outcome.status === 'S' ? { cancelTime: antomTime(new Date()) } : {}),
    });
  });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function captureRequest(body: JsonObject) {
  const { captureRequestId, paymentId, captureAmount } = body;
  const validId = (v: unknown): v is string => typeof v === 'string' && v !== '' && v.length <= 64;
  if (!validId(captureRequestId) || !validId(paymentId)) {
    return { refusal: fail('PARAM_ILLEGAL', 'captureRequestId and paymentId must be 1-64 characters') };
  }
  if (
    !isJsonObject(captureAmount) ||
    !isCurrencyCode(captureAmount.currency) ||
    !isMinorUnits(captureAmount.value)
  ) {
    return { refusal: fail('PARAM_ILLEGAL', 'captureAmount must be {currency, value} in minor units') };
  }
  const amount = { currency: captureAmount.currency, value: captureAmount.value };
  const isLast = body.isLastCapture === true || body.isLastCapture === 'true';
  return { captureRequestId, paymentId, amount, isLast };
}

function resultOf(c: SandboxCapture): Result {
  return { resultCode: c.resultCode, resultStatus: c.status, resultMessage: c.resultMessage };
}

function captureResponse(c: SandboxCapture): JsonObject {
  return {
    result: resultOf(c),
    captureRequestId: c.captureRequestId,
    paymentId: c.paymentId,
    captureAmount: c.amount,
    ...(c.status === 'S'
      ? { captureId: c.captureId, captureTime: antomTime(c.finishedAt ?? c.createdAt) }
      : {}),
  };
}

const TRANSACTION_STATUS = { S: 'SUCCESS', F: 'FAIL', U: 'PROCESSING' } as const;

function transaction(c: SandboxCapture): JsonObject {
  return {
    transactionType: 'CAPTURE',
    transactionStatus: TRANSACTION_STATUS[c.status],
    transactionRequestId: c.captureRequestId,
    transactionId: c.captureId,
    transactionAmount: c.amount,
    transactionTime: antomTime(c.finishedAt ?? c.createdAt),
    transactionResult: resultOf(c),
  };
}

/** notifyCapture: final results only, signed over `POST <notify path>`. */
export function antomDelivery(
  cfg: AntomSimConfig & { notifyPath: string },
  capture: SandboxCapture,
  clientId: string,
  copy: number,
  delayMs: number,
): Delivery {
  const body = JSON.stringify({
    notifyType: 'CAPTURE_RESULT',
    result: resultOf(capture),
    captureRequestId: capture.captureRequestId,
    paymentId: capture.paymentId,
    captureId: capture.captureId,
    captureAmount: capture.amount,
    captureTime: antomTime(capture.finishedAt ?? capture.createdAt),
  });
  return {
    acquirer: 'antom',
    captureRequestId: capture.captureRequestId,
    paymentId: capture.paymentId,
    kind: 'final',
    status: capture.status,
    copy,
    delayMs,
    build: () => {
      const requestTime = antomTime(new Date());
      const message = { method: 'POST', path: cfg.notifyPath, clientId, requestTime, body };
      return {
        path: cfg.notifyPath,
        body,
        headers: {
          'content-type': ANTOM_CONTENT_TYPE,
          'client-id': clientId,
          'request-time': requestTime,
          signature: signAntomMessage(cfg.privateKey, message),
        },
      };
    },
    acknowledged: (status, text) => {
      const ack = parseObject(Buffer.from(text, 'utf8'));
      const result = ack && isJsonObject(ack.result) ? ack.result : null;
      return status === 200 && result?.resultStatus === 'S' && result.resultCode === 'SUCCESS';
    },
  };
}
