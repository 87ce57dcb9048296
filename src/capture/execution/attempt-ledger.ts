import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThanOrEqual, type EntityManager } from 'typeorm';
import { CaptureAttemptEntity } from '../persistence/entities';
import { StatementGroup } from '../persistence/statement-group';
import { UnitOfWork } from '../persistence/unit-of-work';

interface FirstCall {
  captureRequestId: string;
  now: Date;
}

/**
 * The bookkeeping of outbound calls on capture_attempts that is not a change of the machine's
 * state: who sends a committed attempt, and when to inquire about it next. On SQLite every write
 * goes through the UnitOfWork (outside it, it could land inside someone else's transaction).
 */
@Injectable()
export class AttemptLedger {
  constructor(private readonly uow: UnitOfWork) {}

  private repo(em?: EntityManager) {
    return (em ?? this.uow.dataSource.manager).getRepository(CaptureAttemptEntity);
  }

  /**
   * Takes the right to make the FIRST call for a committed attempt. Exactly one caller wins,
   * across processes, so an attempt is never sent twice by the executor and reconciliation.
   * A resend calls it too, only to record when a never-sent attempt was first called.
   * On PostgreSQL the claims of calls starting together share one statement.
   */
  async claimFirstCall(captureRequestId: string, now: Date): Promise<boolean> {
    if (this.uow.isPostgres) return this.firstCalls.submit({ captureRequestId, now });
    const r = await this.uow.statement((em) =>
      this.repo(em).update(
        { captureRequestId, calledAt: IsNull(), status: 'pending' },
        { calledAt: now, updatedAt: now },
      ),
    );
    return (r.affected ?? 0) > 0;
  }

  /** Each claim keeps its own time; of two claims of one attempt in a group, the first wins. */
  private readonly firstCalls = new StatementGroup<FirstCall, boolean>(async (claims) => {
    const first = new Map<string, FirstCall>();
    for (const c of claims) if (!first.has(c.captureRequestId)) first.set(c.captureRequestId, c);
    const ids = [...first.keys()];
    const table = this.repo().metadata;
    const column = (property: string) => `"${table.findColumnWithPropertyName(property)!.databaseName}"`;
    // TypeORM answers an UPDATE with [rows, count].
    const [rows]: [{ id: string }[], number] = await this.uow.dataSource.query(
      `UPDATE ${quotedPath(table.tablePath)} AS a SET ${column('calledAt')} = c.at, ${column('updatedAt')} = c.at
       FROM (SELECT unnest($1::varchar[]) AS id, unnest($2::timestamptz[]) AS at) AS c
       WHERE a.${column('captureRequestId')} = c.id AND a.${column('calledAt')} IS NULL
         AND a.${column('status')} = 'pending'
       RETURNING a.${column('captureRequestId')} AS id`,
      [ids, ids.map((id) => first.get(id)!.now)],
    );
    const won = new Set(rows.map((r) => r.id));
    return claims.map((c) => won.has(c.captureRequestId) && first.get(c.captureRequestId) === c);
  });

  pendingOf(orderId: string, em?: EntityManager): Promise<CaptureAttemptEntity[]> {
    return this.repo(em).find({ where: { orderId, status: 'pending' }, order: { createdAt: 'ASC' } });
  }

  /** Inquiries (or resends, where the acquirer cannot be asked) made for an attempt so far. */
  async checksMade(em: EntityManager, captureRequestId: string): Promise<number> {
    const row = await this.repo(em).findOne({ where: { captureRequestId }, select: { inquiryCount: true } });
    return row?.inquiryCount ?? 0;
  }

  /** Records an in-process answer and when to ask again (null: not before the deadline job). */
  async markInProcess(
    em: EntityManager,
    captureRequestId: string,
    next: Date | null,
    now: Date,
    result: { code?: string; message?: string },
  ): Promise<void> {
    await this.repo(em).update(
      { captureRequestId, status: 'pending' },
      {
        nextInquiryAt: next,
        updatedAt: now,
        ...(result.code ? { resultCode: result.code.slice(0, 64) } : {}),
        ...(result.message ? { resultMessage: result.message.slice(0, 256) } : {}),
      },
    );
  }

  /** After an inquiry: count it and set the next one. */
  async inquired(em: EntityManager, attempt: CaptureAttemptEntity, next: Date | null, now: Date) {
    await this.repo(em).update(
      { captureRequestId: attempt.captureRequestId, status: 'pending' },
      { inquiryCount: attempt.inquiryCount + 1, nextInquiryAt: next, updatedAt: now },
    );
  }

  /** No more inquiries for these attempts (the order is final, or nothing can be learnt). */
  async stopInquiries(orderId: string, now: Date, ids?: string[]): Promise<void> {
    await this.uow.statement((em) =>
      this.repo(em).update(
        { orderId, status: 'pending', ...(ids ? { captureRequestId: In(ids) } : {}) },
        { nextInquiryAt: null, updatedAt: now },
      ),
    );
  }

  /** Pushes every due inquiry of an order to `until` (after an unexpected error, to not spin). */
  async postponeDue(orderId: string, now: Date, until: Date): Promise<void> {
    await this.uow.statement((em) =>
      this.repo(em).update(
        { orderId, status: 'pending', nextInquiryAt: LessThanOrEqual(now) },
        { nextInquiryAt: until, updatedAt: now },
      ),
    );
  }
}

/** `schema.table` as PostgreSQL wants it quoted. */
function quotedPath(path: string): string {
  return path
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}
