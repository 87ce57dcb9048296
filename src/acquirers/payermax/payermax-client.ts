/**
 * The PayerMax adapter of the AcquirerClient port: the signed envelope (docs/acquirers.md), responses believed only
 * when their `sign` header verifies, doubts answered as U after repeating the same requestId. PayerMax
 * documents no capture query, so inquire() answers null and reconciliation relies on the
 * notification and the deadline rules (docs/state-chart.md).
 */
import type { PayermaxSettings } from '../../capture/options/capture-options';
import type {
  AcquirerClient,
  CancelResult,
  CaptureCall,
  CaptureCallResult,
  PaymentRef,
} from '../../capture/ports/acquirer-port';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from '../call-policy';
import {
  postBytes,
  readExchange,
  silentLogger,
  type ClientLogger,
  type Exchange,
  type UnverifiedReplyObserver,
} from '../http';
import type { JsonObject } from '../validation';
import { PAYERMAX_SIGN_HEADER, signPayermaxBody } from './payermax-signature';
import {
  PAYERMAX_API,
  PAYERMAX_CONTENT_TYPE,
  checkPayermaxResponse,
  payermaxCancelResult,
  payermaxCaptureData,
  payermaxCaptureResult,
  payermaxEnvelope,
} from './payermax-wire';
import { SYSTEM_CLOCK, type Clock } from '../../capture/ports/clock';

export interface PayermaxClientOptions {
  settings: PayermaxSettings;
  timeoutMs: number;
  retry?: RetryPolicy;
  logger?: ClientLogger;
  /** The time the request envelope carries. */
  clock?: Clock;
  /** Told of each response not believed for want of a valid signature. */
  onUnverifiedReply?: UnverifiedReplyObserver;
}

const unsure = (r: { status: string; resultCode?: string }): string | null =>
  r.status === 'U' ? `U (${r.resultCode ?? 'no code'})` : null;

export class PayermaxClient implements AcquirerClient {
  readonly acquirer = 'payermax' as const;
  private readonly retry: RetryPolicy;
  private readonly logger: ClientLogger;
  private readonly clock: Clock;

  constructor(private readonly options: PayermaxClientOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** PayerMax knows the payment by the merchant order number: our paymentId (`outTradeNo`). */
  capture(call: CaptureCall): Promise<CaptureCallResult> {
    const { amountUnit } = this.options.settings;
    const data = payermaxCaptureData(call.captureRequestId, call.paymentId, call.amount, amountUnit);
    return withRetries(
      this.retry,
      async () => {
        const answer = await this.exchange(PAYERMAX_API.capture, data);
        if (answer.kind === 'unknown')
          return { status: 'U', resultCode: answer.code, resultMessage: answer.message };
        return payermaxCaptureResult(answer.body, call.amount.currency, amountUnit);
      },
      unsure,
      this.logger,
      `payermax capture ${call.captureRequestId}`,
    );
  }

  /** No capture query is documented (docs/acquirers.md): there is nothing to ask. */
  inquire(_payment: PaymentRef): Promise<null> {
    return Promise.resolve(null);
  }

  cancel(payment: PaymentRef, requestId: string): Promise<CancelResult> {
    if (!payment.paymentId) {
      return Promise.resolve({
        status: 'F',
        resultCode: 'PARAM_ILLEGAL',
        resultMessage: 'PayerMax cancels by outTradeNo (the order paymentId), which is missing',
      });
    }
    const data = { requestId, outTradeNo: payment.paymentId };
    return withRetries(
      this.retry,
      async (): Promise<CancelResult> => {
        const answer = await this.exchange(PAYERMAX_API.cancel, data);
        if (answer.kind === 'unknown')
          return { status: 'U', resultCode: answer.code, resultMessage: answer.message };
        return payermaxCancelResult(answer.body);
      },
      unsure,
      this.logger,
      `payermax cancel ${requestId}`,
    );
  }

  private async exchange(apiPath: string, data: JsonObject): Promise<Exchange> {
    const { settings, timeoutMs } = this.options;
    // A fresh requestTime on every attempt: PayerMax refuses one older than two minutes.
    const body = payermaxEnvelope(settings, data, this.clock.now());
    const outcome = await postBytes({
      url: settings.baseUrl + apiPath,
      headers: {
        'content-type': PAYERMAX_CONTENT_TYPE,
        accept: 'application/json',
        [PAYERMAX_SIGN_HEADER]: signPayermaxBody(settings.merchantPrivateKey, body),
      },
      body,
      timeoutMs,
    });
    return readExchange(
      outcome,
      (reply) => checkPayermaxResponse(settings.publicKey, reply),
      this.logger,
      `payermax ${apiPath}`,
      this.options.onUnverifiedReply,
    );
  }
}
