import { Injectable } from '@nestjs/common';
import type { Acquirer, CaptureStateName } from '../machine/capture-types';
import { OrderEntity } from '../persistence/entities';
import { UnitOfWork } from '../persistence/unit-of-work';
import { decodeCursor, encodeCursor } from './cursor';

export interface OrderListFilter {
  states?: CaptureStateName[];
  acquirer?: Acquirer;
  /** true: only orders with an open review; false: only orders without one. */
  underReview?: boolean;
  /** capture_deadline < deadlineBefore */
  deadlineBefore?: Date;
  /** capture_deadline >= deadlineAfter */
  deadlineAfter?: Date;
  /** created_at >= createdFrom */
  createdFrom?: Date;
  /** created_at < createdTo */
  createdTo?: Date;
  /** Exactly this merchantOrderId or paymentId (an operator pasting either from a ticket). */
  search?: string;
  limit: number;
  /** From the previous page; throws InvalidCursorError when it is not one of ours. */
  cursor?: string;
}

export interface OrderPage {
  items: OrderEntity[];
  nextCursor: string | null;
}

export interface OrderLookup {
  merchantOrderId?: string;
  paymentId?: string;
  acquirer?: Acquirer;
}

/** Read-only order lists for operators and lookups for the merchant; never in a transaction. */
@Injectable()
export class OrderListQuery {
  constructor(private readonly uow: UnitOfWork) {}

  /** Newest first by (created_at, id): a total order, so pages neither skip nor repeat rows. */
  async list(filter: OrderListFilter): Promise<OrderPage> {
    const qb = this.uow.dataSource.getRepository(OrderEntity).createQueryBuilder('o');
    if (filter.states?.length) qb.andWhere('o.state IN (:...states)', { states: filter.states });
    if (filter.acquirer) qb.andWhere('o.acquirer = :acquirer', { acquirer: filter.acquirer });
    if (filter.underReview === true) qb.andWhere('o.reviewReason IS NOT NULL');
    if (filter.underReview === false) qb.andWhere('o.reviewReason IS NULL');
    if (filter.deadlineBefore) qb.andWhere('o.captureDeadline < :db', { db: filter.deadlineBefore });
    if (filter.deadlineAfter) qb.andWhere('o.captureDeadline >= :da', { da: filter.deadlineAfter });
    if (filter.createdFrom) qb.andWhere('o.createdAt >= :cf', { cf: filter.createdFrom });
    if (filter.createdTo) qb.andWhere('o.createdAt < :ct', { ct: filter.createdTo });
    if (filter.search) {
      qb.andWhere('(o.merchantOrderId = :search OR o.paymentId = :search)', { search: filter.search });
    }
    if (filter.cursor) {
      const after = decodeCursor(filter.cursor);
      qb.andWhere('(o.createdAt < :kc OR (o.createdAt = :kc AND o.id < :ki))', {
        kc: after.createdAt,
        ki: after.id,
      });
    }
    const rows = await qb
      .orderBy('o.createdAt', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(filter.limit + 1)
      .getMany();
    const items = rows.slice(0, filter.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null };
  }

  /** The most recent registration matching every given key (merchantOrderId may repeat). */
  findLatest(lookup: OrderLookup): Promise<OrderEntity | null> {
    const where: Partial<Record<keyof OrderLookup, string>> = {};
    if (lookup.merchantOrderId !== undefined) where.merchantOrderId = lookup.merchantOrderId;
    if (lookup.paymentId !== undefined) where.paymentId = lookup.paymentId;
    if (lookup.acquirer !== undefined) where.acquirer = lookup.acquirer;
    return this.uow.dataSource.getRepository(OrderEntity).findOne({
      where: where as never,
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }
}
