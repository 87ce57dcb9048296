import { Injectable, Optional } from '@nestjs/common';
import type { Acquirer } from '../capture/machine/capture-types';
import { MetricsService, type WebhookAnswerDetail } from '../observability/metrics.service';

/**
 * What the webhooks answered, by acquirer and kind, counted in the service's metrics. Refused
 * deliveries leave nothing else behind (they are not stored), so the metrics and a log line are
 * their only trace.
 */
export type WebhookCount =
  'acknowledged' | 'redelivered' | 'unauthorized' | 'invalid' | 'unsupportedMediaType' | 'unavailable';

@Injectable()
export class WebhookCounters {
  constructor(@Optional() private readonly metrics?: MetricsService) {}

  add(acquirer: Acquirer, kind: WebhookCount, detail?: WebhookAnswerDetail): void {
    // Counting must never turn a committed notification into a failed answer.
    try {
      this.metrics?.webhookAnswered(acquirer, kind, detail);
    } catch {
      // metrics are best effort
    }
  }
}
