/**
 * Orphans: notifications for a payment we did not know when they arrived. They are stored and
 * acknowledged, and applied here once the order exists: right after it is registered, or after
 * an orphan's own commit when the order turned up meanwhile (the two commits can cross; each
 * side looks for the other after its own commit, so one of them always finds it).
 */
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import type { Acquirer } from '../capture/machine/capture-types';
import { OrdersService } from '../capture/orders.service';
import { InboundNotificationEntity, OrderEntity } from '../capture/persistence/entities';
import { UnitOfWork } from '../capture/persistence/unit-of-work';
import { interpretAntom } from './antom-inbound';
import { parseBody, type InboundNotification, type Interpretation } from './inbound-notification';
import { NotificationApplier } from './notification-applier';
import { interpretPayermax } from './payermax-inbound';
import { CLOCK, type Clock } from '../capture/ports/clock';

@Injectable()
export class OrphanReplayService implements OnModuleInit {
  private readonly log = new Logger('Webhooks');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrdersService,
    private readonly applier: NotificationApplier,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // The registration is committed whatever happens here; a failed replay leaves the orphans
    // stored, to be replayed by the next trigger for that payment.
    this.orders.onRegistered(async (order) => {
      try {
        await this.replay(order.id);
      } catch (err) {
        this.log.error(`orphan replay for order ${order.id} failed: ${(err as Error).message}`);
      }
    });
  }

  /** After an orphan committed: was the order registered while it was being stored? */
  async recheck(n: InboundNotification): Promise<number> {
    if (n.paymentId === null) return 0;
    const repo = this.uow.dataSource.getRepository(OrderEntity);
    const order = await repo.findOne({ where: { acquirer: n.acquirer, paymentId: n.paymentId } });
    return order ? this.replay(order.id) : 0;
  }

  /** Applies the order's orphans oldest first, each in its own transaction; returns how many. */
  async replay(orderId: string): Promise<number> {
    const ds = this.uow.dataSource;
    const order = await ds.getRepository(OrderEntity).findOne({ where: { id: orderId } });
    if (!order?.paymentId) return 0;
    const rows = await ds.getRepository(InboundNotificationEntity).find({
      select: { id: true },
      where: { acquirer: order.acquirer, paymentId: order.paymentId, outcome: 'orphan' },
      order: { id: 'ASC' },
    });
    let replayed = 0;
    for (const { id } of rows) {
      const results = await this.uow.run(async (em) => {
        const locked = await this.applier.lockOrder(em, orderId);
        const row = await em.getRepository(InboundNotificationEntity).findOne({ where: { id } });
        // Under the order's lock: another trigger may have replayed it meanwhile.
        if (!locked || row?.outcome !== 'orphan') return null;
        const interpretation = this.interpret(row.acquirer, row.rawBody);
        if (!interpretation.ok) {
          const detail = interpretation.errors.map((e) => `${e.field} ${e.rule}`).join('; ');
          await em
            .getRepository(InboundNotificationEntity)
            .update({ id }, { outcome: 'rejected', detail, processedAt: this.clock.now() });
          return null;
        }
        const source = `webhook:${row.acquirer}:replay`;
        return this.applier.apply(em, locked, interpretation.notification, id, row.receivedAt, source);
      });
      if (!results) continue;
      replayed += 1;
      this.log.log(
        `orphan notification ${id} applied to order ${orderId}: ${results.outcome} (${results.detail})`,
      );
    }
    return replayed;
  }

  /** The stored body is read again exactly as it was received and verified. */
  private interpret(acquirer: Acquirer, rawBody: string): Interpretation {
    const parsed = parseBody(Buffer.from(rawBody, 'utf8'));
    const none = { notifyType: null, paymentId: null, captureRequestId: null };
    if (!parsed.ok) return { ok: false, errors: parsed.errors, ...none };
    if (acquirer === 'antom') return interpretAntom(parsed.value, rawBody);
    return interpretPayermax(parsed.value, { amountUnit: this.options.payermax?.amountUnit ?? 'major' });
  }
}
