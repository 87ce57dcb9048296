import { Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import type { ApplyResult } from '../capture/capture-result';
import { OrderEventApplier } from '../capture/order-event-applier';
import type { CaptureStateName } from '../capture/machine/capture.types';
import { CaptureAttemptEntity } from '../capture/persistence/entities';
import { UnitOfWork } from '../capture/persistence/unit-of-work';
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
 * counts it, puts its order id into the log context, and when it can have resolved a capture
 * attempt, reads that attempt (one indexed lookup, after commit and off the caller's path) for
 * the outcome, the result code, and the time since it was requested.
 */
@Injectable()
export class CaptureMetrics implements OnModuleInit {
  private readonly log = new Logger('Metrics');
  private readonly pending = new Set<Promise<void>>();
  private uow?: UnitOfWork;

  constructor(
    private readonly metrics: MetricsService,
    private readonly moduleRef: ModuleRef,
    @Optional() private readonly requestLog?: PinoLogger,
  ) {}

  onModuleInit(): void {
    const capture = this.optional(OrderEventApplier);
    this.uow = this.optional(UnitOfWork);
    capture?.onCommitted((applied) => this.observe(applied));
  }

  /** Resolves once the attempt lookups started so far are done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private observe(applied: Applied): void {
    annotateLogContext(this.requestLog, { orderId: applied.orderId });
    this.metrics.transition(applied.from, applied.to);
    const mayResolve =
      applied.from === 'capturePending' || (applied.from !== applied.to && RESOLVING_TARGETS.has(applied.to));
    const hasAttempts = Object.keys(applied.order.snapshot.context.attempts).length > 0;
    if (!mayResolve || !hasAttempts || !this.uow) return;
    const lookup = this.observeAttempts(applied).finally(() => this.pending.delete(lookup));
    this.pending.add(lookup);
  }

  private async observeAttempts({ order }: Applied): Promise<void> {
    try {
      // The attempt writer stamps what it resolves with the transition's own time.
      const resolved = await this.uow!.dataSource.getRepository(CaptureAttemptEntity).find({
        where: { orderId: order.id, resolvedAt: order.updatedAt },
      });
      for (const attempt of resolved) {
        if (attempt.status === 'pending') continue;
        const seconds =
          attempt.origin === 'merchant' && attempt.resolvedAt
            ? (attempt.resolvedAt.getTime() - attempt.createdAt.getTime()) / 1000
            : null;
        this.metrics.captureResolved(order.acquirer, attempt.status, attempt.resultCode, seconds);
      }
    } catch (err) {
      this.log.debug(`capture attempt metrics skipped for order ${order.id}: ${(err as Error).message}`);
    }
  }

  private optional<T>(token: new (...args: never[]) => T): T | undefined {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}
