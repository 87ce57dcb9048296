/**
 * ACQUIRER_CLIENTS for the capture module: one client per configured acquirer. An acquirer left
 * unconfigured still gets a client, one that refuses every call with a plain F
 * (ACQUIRER_NOT_CONFIGURED) naming the missing settings: never a pretend success, and nothing
 * that could be mistaken for "the acquirer said no" (the code classifies as needs-a-human).
 */
import { Logger, type Provider } from '@nestjs/common';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import type { Acquirer } from '../capture/machine/capture-types';
import {
  ACQUIRER_CLIENTS,
  type AcquirerClient,
  type AcquirerClients,
  type CancelResult,
  type CaptureCallResult,
} from '../capture/ports/acquirer-port';
import { AntomClient } from '../acquirers/antom/antom-client';
import { AcquirerCallError, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../acquirers/call-policy';
import { MetricsService } from '../observability/metrics.service';
import type { ClientLogger } from '../acquirers/http';
import { PayermaxClient } from '../acquirers/payermax/payermax-client';
import { CLOCK, type Clock } from '../capture/ports/clock';

export const ACQUIRER_NOT_CONFIGURED = 'ACQUIRER_NOT_CONFIGURED';

const SETTINGS_HINT: Record<Acquirer, string> = {
  antom: 'ANTOM_BASE_URL, ANTOM_CLIENT_ID, ANTOM_MERCHANT_PRIVATE_KEY, ANTOM_PUBLIC_KEY',
  payermax:
    'PAYERMAX_BASE_URL, PAYERMAX_APP_ID, PAYERMAX_MERCHANT_NO, PAYERMAX_MERCHANT_PRIVATE_KEY, PAYERMAX_PUBLIC_KEY',
};

export class UnconfiguredAcquirerClient implements AcquirerClient {
  private readonly message: string;

  constructor(readonly acquirer: Acquirer) {
    this.message = `${acquirer} is not configured (set ${SETTINGS_HINT[acquirer]}); nothing was sent`;
  }

  capture(): Promise<CaptureCallResult> {
    return Promise.resolve({ status: 'F', resultCode: ACQUIRER_NOT_CONFIGURED, resultMessage: this.message });
  }

  inquire(): Promise<never> {
    return Promise.reject(new AcquirerCallError(ACQUIRER_NOT_CONFIGURED, this.message));
  }

  cancel(): Promise<CancelResult> {
    return Promise.resolve({ status: 'F', resultCode: ACQUIRER_NOT_CONFIGURED, resultMessage: this.message });
  }
}

export interface AcquirerClientsOptions {
  retry?: RetryPolicy;
  logger?: (acquirer: Acquirer) => ClientLogger;
  /** Counts responses not believed for want of a valid signature (the metrics, when present). */
  metrics?: Pick<MetricsService, 'acquirerResponseUnverified'>;
  /** The module's clock (CLOCK), for the acquirers' request times. */
  clock?: Clock;
}

export function buildAcquirerClients(
  options: CaptureModuleOptions,
  extra: AcquirerClientsOptions = {},
): AcquirerClients {
  const retry = extra.retry ?? DEFAULT_RETRY_POLICY;
  const timeoutMs = options.acquirerTimeoutMs;
  const logger = extra.logger ?? ((acquirer: Acquirer) => new Logger(`${acquirer}-client`));
  const common = (acquirer: Acquirer) => ({
    timeoutMs,
    clock: extra.clock,
    retry,
    logger: logger(acquirer),
    onUnverifiedReply: (reason: 'missing' | 'invalid') =>
      extra.metrics?.acquirerResponseUnverified(acquirer, reason),
  });
  return {
    antom: options.antom
      ? new AntomClient({ settings: options.antom, ...common('antom') })
      : new UnconfiguredAcquirerClient('antom'),
    payermax: options.payermax
      ? new PayermaxClient({ settings: options.payermax, ...common('payermax') })
      : new UnconfiguredAcquirerClient('payermax'),
  };
}

export const acquirerClientsProvider: Provider = {
  provide: ACQUIRER_CLIENTS,
  // The metrics are the host app's (ObservabilityModule); the module works without them.
  inject: [CAPTURE_OPTIONS, CLOCK, { token: MetricsService, optional: true }],
  useFactory: (options: CaptureModuleOptions, clock: Clock, metrics?: MetricsService): AcquirerClients =>
    buildAcquirerClients(options, { metrics, clock }),
};
