/**
 * The Antom adapter of the AcquirerClient port: signed requests (docs/acquirers.md), responses believed only when
 * their signature verifies, and every doubt (timeout, network error, unreadable, unsigned or
 * badly signed response, U) answered as U after a few repeats of the very same request, which Antom's
 * idempotency on captureRequestId makes safe.
 */
import type { AntomSettings } from '../../capture/options/capture-options';
import type {
  AcquirerClient,
  CancelResult,
  CaptureCall,
  CaptureCallResult,
  InquiryResult,
  PaymentRef,
} from '../../capture/ports/acquirer-port';
import { AcquirerCallError, DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from '../call-policy';
import {
  postBytes,
  readExchange,
  silentLogger,
  type ClientLogger,
  type Exchange,
  type UnverifiedReplyObserver,
} from '../http';
import { antomSignedPath, signAntomMessage } from './antom-signature';
import {
  ANTOM_API,
  ANTOM_CONTENT_TYPE,
  antomCaptureBody,
  antomCaptureResult,
  antomInquiryResult,
  antomPaymentBody,
  checkAntomResponse,
  readAntomResult,
} from './antom-wire';
import { SYSTEM_CLOCK, type Clock } from '../../capture/ports/clock';

export interface AntomClientOptions {
  settings: AntomSettings;
  /** ACQUIRER_TIMEOUT_MS, per HTTP exchange. */
  timeoutMs: number;
  retry?: RetryPolicy;
  logger?: ClientLogger;
  /** Request-Time source (sent as epoch milliseconds, as the Java SDK does). */
  clock?: Clock;
  /** Told of each response not believed for want of a valid signature. */
  onUnverifiedReply?: UnverifiedReplyObserver;
}

/** A call whose answer we could not take at face value: the caller must treat it as U. */
export class AntomClient implements AcquirerClient {
  readonly acquirer = 'antom' as const;
  private readonly retry: RetryPolicy;
  private readonly logger: ClientLogger;
  private readonly clock: Clock;

  constructor(private readonly options: AntomClientOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  capture(call: CaptureCall): Promise<CaptureCallResult> {
    const body = antomCaptureBody(call);
    return withRetries(
      this.retry,
      async () => {
        const answer = await this.exchange(ANTOM_API.capture, body);
        return answer.kind === 'answer' ? antomCaptureResult(answer.body) : unknownResult(answer);
      },
      (r) => (r.status === 'U' ? `U (${r.resultCode ?? 'no code'})` : null),
      this.logger,
      `antom capture ${call.captureRequestId}`,
    );
  }

  async inquire(payment: PaymentRef): Promise<InquiryResult> {
    const body = antomPaymentBody(payment);
    const outcome = await withRetries(
      this.retry,
      async () => {
        const answer = await this.exchange(ANTOM_API.inquiryPayment, body);
        return answer.kind === 'answer'
          ? antomInquiryResult(answer.body)
          : {
              ok: false as const,
              status: 'U' as const,
              resultCode: answer.code,
              resultMessage: answer.message,
            };
      },
      (r) => (!r.ok && r.status === 'U' ? `U (${r.resultCode ?? 'no code'})` : null),
      this.logger,
      `antom inquiryPayment ${payment.paymentId ?? payment.paymentRequestId}`,
    );
    if (outcome.ok) return outcome.value;
    const code = outcome.resultCode ?? 'UNKNOWN';
    throw new AcquirerCallError(code, `antom inquiryPayment: ${code}${suffix(outcome.resultMessage)}`);
  }

  /** Antom voids the whole authorization by payment; the request id is not part of its API. */
  cancel(payment: PaymentRef, _requestId: string): Promise<CancelResult> {
    const body = antomPaymentBody(payment);
    return withRetries(
      this.retry,
      async (): Promise<CancelResult> => {
        const answer = await this.exchange(ANTOM_API.cancel, body);
        if (answer.kind === 'unknown') return unknownResult(answer);
        return readAntomResult(answer.body) ?? { status: 'U', resultCode: 'UNREADABLE_RESPONSE' };
      },
      (r) => (r.status === 'U' ? `U (${r.resultCode ?? 'no code'})` : null),
      this.logger,
      `antom cancel ${payment.paymentId ?? payment.paymentRequestId}`,
    );
  }

  private async exchange(apiPath: string, body: string): Promise<Exchange> {
    const { baseUrl, clientId, merchantPrivateKey, publicKey } = this.options.settings;
    // The API path alone is signed, as the official SDKs sign it (they post to gateway + path):
    // a path prefix in the base URL belongs to a proxy in front of Antom, which strips it.
    const path = antomSignedPath(apiPath, clientId);
    const url = new URL(baseUrl + path);
    const requestTime = String(this.clock.now().getTime());
    const signature = signAntomMessage(merchantPrivateKey, {
      method: 'POST',
      path,
      clientId,
      requestTime,
      body,
    });
    const outcome = await postBytes({
      url: url.toString(),
      headers: {
        'content-type': ANTOM_CONTENT_TYPE,
        'client-id': clientId,
        'request-time': requestTime,
        signature,
      },
      body,
      timeoutMs: this.options.timeoutMs,
    });
    return readExchange(
      outcome,
      (reply) => checkAntomResponse(publicKey, path, clientId, reply),
      this.logger,
      `antom ${apiPath}`,
      this.options.onUnverifiedReply,
    );
  }
}

function unknownResult(answer: { code: string; message: string }): CaptureCallResult {
  return { status: 'U', resultCode: answer.code, resultMessage: answer.message };
}

function suffix(message: string | undefined): string {
  return message ? ` (${message})` : '';
}
