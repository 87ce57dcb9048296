import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import type { ApplyResult } from '../capture/capture-result';
import { OrderEventApplier } from '../capture/order-event-applier';
import type { CaptureStateName } from '../capture/machine/capture-types';
import { annotateLogContext } from './log-context';
import { MetricsService } from './metrics.service';

type Applied = Extract<ApplyResult, { kind: 'applied' }>;

const RESOLVING_TARGETS = new Set<CaptureStateName>([
  'captured',
  'partiallyCaptured',
  'captureFailed',
  'autoCancelled',
  'partiallyLapsed',
]);

/**
 * Watches every committed transition (OrderEventApplier.onCommitted), whatever its source:
 * counts it, puts its order id into the log context, and counts the capture attempts it
 * resolved (outcome, result code, time since requested) from what the transition wrote, so
 * no request pays a database read for its metrics.
 */
@Injectable()
export class CaptureMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly moduleRef: ModuleRef,
    @Optional() private readonly requestLog?: PinoLogger,
  ) {}

  onModuleInit(): void {
    let capture: OrderEventApplier | undefined;
    try {
      capture = this.moduleRef.get(OrderEventApplier, { strict: false });
    } catch {
      capture = undefined;
    }
    capture?.onCommitted((applied) => this.observe(applied));
  }

  private observe(applied: Applied): void {
    annotateLogContext(this.requestLog, { orderId: applied.orderId });
    this.metrics.transition(applied.from, applied.to);
    const mayResolve =
      applied.from === 'capturePending' || (applied.from !== applied.to && RESOLVING_TARGETS.has(applied.to));
    if (!mayResolve) return;
    for (const attempt of applied.resolved) {
      this.metrics.captureResolved(
        applied.order.acquirer,
        attempt.status,
        attempt.resultCode,
        attempt.seconds,
      );
    }
  }
}
