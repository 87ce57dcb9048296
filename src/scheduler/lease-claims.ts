import { Injectable } from '@nestjs/common';
import { In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { CaptureAttemptEntity, OrderEntity } from '../capture/persistence/entities';
import { UnitOfWork } from '../capture/persistence/unit-of-work';
import { StatementGroup } from '../capture/persistence/statement-group';
import { OPEN_STATES } from '../capture/states/open-states';

interface ClosedRelease {
  orderId: string;
  owner: string;
  now: Date;
}

/**
 * The orders table is the queue: a job claims a batch of due rows by writing a lease
 * (orders.lease_owner / lease_until) in one short transaction, works on them outside it, then
 * releases them. On PostgreSQL the batch is selected FOR UPDATE SKIP LOCKED inside the UPDATE
 * that leases it, so concurrent instances take disjoint batches without waiting; on SQLite the
 * write transaction (BEGIN IMMEDIATE) serializes claimers. A crashed instance's lease simply
 * runs out. A claim returns the rows as it leased them: the work starts from them without
 * reading each order again (a change since is judged by the machine under the row lock).
 *
 * A released row keeps lease_until = the releasing tick's `now`, and a claim needs
 * lease_until < now: one tick never claims the same row twice, so a tick always ends.
 */
@Injectable()
export class LeaseClaims {
  constructor(private readonly uow: UnitOfWork) {}

  /** Open orders whose next_check_at has come. */
  claimDueOrders(owner: string, now: Date, until: Date, limit: number): Promise<OrderEntity[]> {
    return this.claim(owner, until, (qb) =>
      qb
        .where('o.state IN (:...open)', { open: OPEN_STATES })
        .andWhere('o.nextCheckAt <= :now', { now })
        .andWhere('(o.leaseUntil IS NULL OR o.leaseUntil < :now)', { now })
        .orderBy('o.nextCheckAt', 'ASC')
        .limit(limit),
    );
  }

  /** Orders (in any state) with a pending attempt whose next inquiry has come. */
  claimDueInquiries(owner: string, now: Date, until: Date, limit: number): Promise<OrderEntity[]> {
    return this.claim(owner, until, (qb) => {
      const due = qb
        .subQuery()
        .select('a.orderId')
        .from(CaptureAttemptEntity, 'a')
        .where("a.status = 'pending'")
        .andWhere('a.nextInquiryAt <= :now')
        .getQuery();
      return qb
        .where(`o.id IN ${due}`, { now })
        .andWhere('(o.leaseUntil IS NULL OR o.leaseUntil < :now)', { now })
        .limit(limit);
    });
  }

  /**
   * Gives a row back. `nextCheckAt` is written only if nobody changed the order since `version`
   * (a concurrent transition has already computed its own).
   */
  async release(
    orderId: string,
    owner: string,
    now: Date,
    next?: { nextCheckAt: Date | null; version: number },
  ): Promise<void> {
    // Each statement is atomic on its own (UnitOfWork.statement).
    const write = <T>(work: (em: EntityManager) => Promise<T>) => this.uow.statement(work);
    if (next) {
      const r = await write((em) =>
        em
          .getRepository(OrderEntity)
          .update(
            { id: orderId, leaseOwner: owner, version: next.version },
            { leaseOwner: null, leaseUntil: now, nextCheckAt: next.nextCheckAt },
          ),
      );
      if ((r.affected ?? 0) > 0) return;
    }
    await write((em) =>
      em
        .getRepository(OrderEntity)
        .update({ id: orderId, leaseOwner: owner }, { leaseOwner: null, leaseUntil: now }),
    );
  }

  /**
   * Gives a closed order back without reading it: its next check is none, whatever changed it
   * last (a transition computes the same), and the state is judged by the UPDATE itself, so no
   * concurrent transition can slip in between. False when the order is open (or not ours).
   * On PostgreSQL the releases of orders finishing together share one statement.
   */
  releaseClosed(orderId: string, owner: string, now: Date): Promise<boolean> {
    if (this.uow.isPostgres) return this.closedReleases.submit({ orderId, owner, now });
    return this.uow
      .statement((em) => this.releaseClosedRows(em, [orderId], owner, now).execute())
      .then((r) => (r.affected ?? 0) > 0);
  }

  private readonly closedReleases = new StatementGroup<ClosedRelease, boolean>(async (requests) => {
    const released = new Set<string>();
    // One statement per lease owner and tick time: in practice one for the whole group.
    const groups = new Map<string, ClosedRelease[]>();
    for (const r of requests) {
      const key = `${r.owner} ${r.now.getTime()}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const [, group] of groups) {
      const { owner, now } = group[0]!;
      const ids = group.map((r) => r.orderId);
      const em = this.uow.dataSource.manager;
      const r = await this.releaseClosedRows(em, ids, owner, now).returning('id').execute();
      for (const row of r.raw as { id: string }[]) released.add(row.id);
    }
    return requests.map((r) => released.has(r.orderId));
  });

  private releaseClosedRows(em: EntityManager, ids: string[], owner: string, now: Date) {
    return em
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ leaseOwner: null, leaseUntil: now, nextCheckAt: null })
      .where('id IN (:...ids)', { ids })
      .andWhere('lease_owner = :owner', { owner })
      .andWhere('state NOT IN (:...open)', { open: OPEN_STATES });
  }

  private claim(
    owner: string,
    until: Date,
    filter: (qb: SelectQueryBuilder<OrderEntity>) => SelectQueryBuilder<OrderEntity>,
  ): Promise<OrderEntity[]> {
    const pick = (em: EntityManager) =>
      filter(em.getRepository(OrderEntity).createQueryBuilder('o').select('o.id', 'id'));
    if (this.uow.isPostgres) return this.claimInOneStatement(owner, until, pick);
    return this.uow.run(async (em: EntityManager) => {
      const ids = (await pick(em).getRawMany<{ id: string }>()).map((r) => r.id);
      if (ids.length === 0) return [];
      await em
        .createQueryBuilder()
        .update(OrderEntity)
        .set({ leaseOwner: owner, leaseUntil: until })
        .whereInIds(ids)
        .execute();
      return em.getRepository(OrderEntity).findBy({ id: In(ids) });
    });
  }

  /** PostgreSQL: pick (skipping rows another claimer holds), lease and read back, in one UPDATE. */
  private async claimInOneStatement(
    owner: string,
    until: Date,
    pick: (em: EntityManager) => SelectQueryBuilder<OrderEntity>,
  ): Promise<OrderEntity[]> {
    const em = this.uow.dataSource.manager;
    const due = this.uow.forUpdate(pick(em), { skipLocked: true });
    const r = await em
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ leaseOwner: owner, leaseUntil: until })
      .where(`id IN (${due.getQuery()})`)
      .setParameters(due.getParameters())
      .returning('*')
      .execute();
    return (r.raw as Record<string, unknown>[]).map((row) => hydrate(em, row));
  }
}

/** A row as RETURNING gives it (column names, driver values), as the entity TypeORM would load. */
function hydrate(em: EntityManager, row: Record<string, unknown>): OrderEntity {
  const order = em.create(OrderEntity);
  const driver = em.connection.driver;
  for (const column of em.connection.getMetadata(OrderEntity).columns) {
    column.setEntityValue(order, driver.prepareHydratedValue(row[column.databaseName], column));
  }
  return order;
}
