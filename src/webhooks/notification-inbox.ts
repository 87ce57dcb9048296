/**
 * Everything that happens to a notification after its signature verified: parse, validate,
 * then in ONE transaction store it (unique dedupe key) and apply it, and acknowledge only after
 * the commit. A redelivery collides on the dedupe key, changes nothing and is acknowledged.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FieldError } from '../capture/field-rules';
import type { Acquirer } from '../capture/machine/capture-types';
import { InboundNotificationEntity, type NotificationOutcome } from '../capture/persistence/entities';
import { REPLACEMENT } from '../capture/persistence/entities/stored-text';
import { runSql } from '../capture/persistence/sql-batch';
import { SqlParams } from '../capture/persistence/sql-table';
import { UnitOfWork } from '../capture/persistence/unit-of-work';
import { failure, invalid, SUCCESS, type WebhookAnswer } from './acknowledgements';
import {
  parseBody,
  type InboundNotification,
  type Interpretation,
  type RejectedSummary,
} from './inbound-notification';
import { NotificationApplier, type AppliedNotification } from './notification-applier';
import { OrphanReplayService } from './orphan-replay.service';
import { WebhookCounters } from './webhook-counters';
import { CLOCK, type Clock } from '../capture/ports/clock';

/** The interpretation of a parsed body, or a refusal (a signed body naming another merchant). */
export type Interpreter = (body: unknown) => Interpretation | { refused: string };

export interface Accepted {
  outcome: NotificationOutcome | 'redelivered';
  detail: string;
}

type Stored = Accepted & Partial<Omit<AppliedNotification, 'outcome'>> & { orderId?: string };

@Injectable()
export class NotificationInbox {
  private readonly log = new Logger('Webhooks');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly applier: NotificationApplier,
    private readonly orphans: OrphanReplayService,
    private readonly counters: WebhookCounters,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** 401: nothing is stored; the counter and this line (never the body) are all that is left. */
  refuse(acquirer: Acquirer, why: string): WebhookAnswer {
    this.counters.add(acquirer, 'unauthorized');
    this.log.warn(`${acquirer} notification refused (401): ${why}`);
    return failure(401, `the notification is not authentic: ${why}`);
  }

  unsupportedMediaType(acquirer: Acquirer, contentType: string | undefined): WebhookAnswer {
    this.counters.add(acquirer, 'unsupportedMediaType');
    this.log.warn(`${acquirer} notification refused (415): content-type ${contentType ?? 'missing'}`);
    return failure(415, 'content-type must be application/json');
  }

  async receive(acquirer: Acquirer, bytes: Buffer, interpret: Interpreter): Promise<WebhookAnswer> {
    const receivedAt = this.clock.now();
    try {
      const parsed = parseBody(bytes);
      const interpretation = parsed.ok
        ? interpret(parsed.value)
        : {
            ok: false as const,
            errors: parsed.errors,
            notifyType: null,
            paymentId: null,
            captureRequestId: null,
          };
      if ('refused' in interpretation) return this.refuse(acquirer, interpretation.refused);
      if (!interpretation.ok) {
        await this.storeRejected(acquirer, interpretation, interpretation.errors, bytes, receivedAt);
        this.counters.add(acquirer, 'invalid', { notifyType: interpretation.notifyType });
        return invalid(interpretation.errors);
      }
      const accepted = await this.accept(interpretation.notification, bytes.toString('utf8'), receivedAt);
      this.counters.add(acquirer, accepted.outcome === 'redelivered' ? 'redelivered' : 'acknowledged', {
        notifyType: interpretation.notification.notifyType,
        body: parsed.ok ? parsed.value : undefined,
        receivedAt,
      });
      const n = interpretation.notification;
      const ids = [
        n.paymentId && `payment ${n.paymentId}`,
        n.captureRequestId && `capture ${n.captureRequestId}`,
      ];
      this.log.log(
        `${acquirer} ${n.notifyType} ${ids.filter(Boolean).join(' ')}: ${accepted.outcome} (${accepted.detail})`,
      );
      return SUCCESS;
    } catch (err) {
      this.counters.add(acquirer, 'unavailable');
      this.log.error(`${acquirer} notification not stored (503): ${(err as Error).message}`);
      return failure(503, 'the notification could not be stored; please retry');
    }
  }

  /** Stores and applies a valid notification; resolves once committed (and its effects ran). */
  async accept(n: InboundNotification, rawBody: string, receivedAt = this.clock.now()): Promise<Accepted> {
    const stored = await this.uow.run((em) => this.store(em, n, rawBody, receivedAt));
    if (stored.outcome !== 'redelivered') await this.afterCommit(n, stored);
    return { outcome: stored.outcome, detail: stored.detail };
  }

  private async store(
    em: EntityManager,
    n: InboundNotification,
    rawBody: string,
    receivedAt: Date,
  ): Promise<Stored> {
    const orphanDetail = `no ${n.acquirer} order for paymentId ${n.paymentId} yet`;
    // The insert is the duplicate check: a redelivery collides on the dedupe key and writes
    // nothing (one that races its original waits for the original's commit, then collides).
    const table = this.uow.tables.notifications;
    const p = new SqlParams(this.uow.isPostgres);
    const row = table.insert(p, [
      {
        acquirer: n.acquirer,
        notifyType: n.notifyType,
        dedupeKey: n.dedupeKey,
        paymentId: n.paymentId,
        captureRequestId: n.captureRequestId,
        orderId: null,
        outcome: n.plan ? 'orphan' : 'ignored',
        detail: n.plan ? orphanDetail : (n.note ?? null),
        rawBody,
        receivedAt,
        processedAt: n.plan ? null : receivedAt,
      },
    ]);
    const sql = `${row} ON CONFLICT (${table.col('dedupeKey')}) DO NOTHING RETURNING ${table.col('id')}`;
    const inserting = runSql(em, sql, p.values);
    // On PostgreSQL the order's lock is asked for in the same packet as the insert (the
    // statements still run in order); a redelivery then holds it only until its commit.
    const early = this.uow.isPostgres && n.plan ? this.applier.findOrder(em, n) : undefined;
    void early?.catch(() => undefined);
    const notificationId = (await inserting).rows[0]?.id as number | undefined;
    if (notificationId === undefined) {
      await early?.catch(() => undefined);
      return { outcome: 'redelivered', detail: 'already stored' };
    }
    if (!n.plan) return { outcome: 'ignored', detail: n.note ?? 'not applied' };
    const order = await (early ?? this.applier.findOrder(em, n));
    if (!order) return { outcome: 'orphan', detail: orphanDetail };
    const applied = await this.applier.apply(
      em,
      order,
      n,
      notificationId,
      receivedAt,
      `webhook:${n.acquirer}`,
    );
    return { ...applied, orderId: order.id };
  }

  /** The notification is committed whatever happens here: it is acknowledged either way. */
  private async afterCommit(n: InboundNotification, stored: Stored): Promise<void> {
    try {
      if (stored.outcome === 'orphan') await this.orphans.recheck(n);
      else if (stored.filledPaymentId && stored.orderId) await this.orphans.replay(stored.orderId);
    } catch (err) {
      this.log.error(`after-commit work for a ${n.acquirer} notification failed: ${(err as Error).message}`);
    }
  }

  private async storeRejected(
    acquirer: Acquirer,
    summary: RejectedSummary,
    errors: FieldError[],
    bytes: Buffer,
    receivedAt: Date,
  ): Promise<void> {
    const raw = bytes.toString('utf8');
    // Only a body that is not JSON can hold a raw NUL, and PostgreSQL cannot store one in text.
    const rawBody = raw.replaceAll('\u0000', REPLACEMENT);
    const fields = errors.map((e) => `${e.field} ${e.rule}`).join('; ');
    const detail = rawBody === raw ? fields : `${fields}; raw body stored with NUL bytes replaced by U+FFFD`;
    this.log.warn(`${acquirer} notification rejected (400): ${fields}`);
    await this.uow.run((em) =>
      em.getRepository(InboundNotificationEntity).insert({
        acquirer,
        notifyType: summary.notifyType,
        dedupeKey: null,
        paymentId: summary.paymentId,
        captureRequestId: summary.captureRequestId,
        orderId: null,
        outcome: 'rejected',
        detail,
        rawBody,
        receivedAt,
        processedAt: receivedAt,
      }),
    );
  }
}
