import { Injectable, Optional } from '@nestjs/common';
import type { Acquirer } from '../capture/machine/capture.types';
import { MetricsService, type WebhookAnswerDetail } from '../observability/metrics.service';

/**
 * What the webhooks answered, by acquirer and kind. Refused deliveries leave nothing else
 * behind (they are not stored), so this and a log line are their only trace.
 */
export type WebhookCount =
  'acknowledged' | 'redelivered' | 'unauthorized' | 'invalid' | 'unsupportedMediaType' | 'unavailable';

@Injectable()
export class WebhookCounters {
  private readonly counts = new Map<string, number>();

  constructor(@Optional() private readonly metrics?: MetricsService) {}

  add(acquirer: Acquirer, kind: WebhookCount, detail?: WebhookAnswerDetail): void {
    // Counting must never turn a committed notification into a failed answer.
    try {
      this.metrics?.webhookAnswered(acquirer, kind, detail);
    } catch {
      // metrics are best effort
    }
    const key = `${acquirer}.${kind}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get(acquirer: Acquirer, kind: WebhookCount): number {
    return this.counts.get(`${acquirer}.${kind}`) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
