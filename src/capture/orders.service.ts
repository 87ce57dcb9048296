import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from './options/capture-options';
import { initialSnapshot } from './machine/capture-engine';
import { MACHINE_VERSION } from './machine/capture-machine';
import { computeNextCheckAt } from './schedule/next-check';
import { OrderEntity } from './persistence/entities';
import { isUniqueViolation } from './persistence/database-errors';
import { UnitOfWork } from './persistence/unit-of-work';
import { registrationDifferences, validateRegistration, type RegisterOrderInput } from './registration';
import type { FieldError } from './field-rules';
import { CLOCK, type Clock } from './ports/clock';

const DAY = 86_400_000;

export type RegisterResult =
  | { kind: 'created'; order: OrderEntity }
  | { kind: 'existing'; order: OrderEntity }
  | { kind: 'conflict'; order: OrderEntity; fields: string[] }
  | { kind: 'invalid'; errors: FieldError[] };

export type RegisteredHandler = (order: OrderEntity) => Promise<void> | void;

/** Registration (idempotent on acquirer + paymentId) and lookups of orders. */
@Injectable()
export class OrdersService {
  private readonly registeredHandlers: RegisteredHandler[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Runs after a new order is committed (orphan notifications are applied here). */
  onRegistered(handler: RegisteredHandler): void {
    this.registeredHandlers.push(handler);
  }

  async register(input: RegisterOrderInput, now = this.clock.now()): Promise<RegisterResult> {
    const errors = validateRegistration(input, now);
    if (errors.length > 0) return { kind: 'invalid', errors };
    let result: RegisterResult;
    try {
      result = await this.uow.run((em) => this.registerWithin(em, input, now));
    } catch (err) {
      // Two registrations raced past the lookup; the loser compares against the winner.
      if (!isUniqueViolation(err)) throw err;
      result = await this.uow.run((em) => this.registerWithin(em, input, now));
    }
    if (result.kind === 'created') {
      for (const handler of this.registeredHandlers) await handler(result.order);
    }
    return result;
  }

  findById(id: string): Promise<OrderEntity | null> {
    return this.uow.dataSource.getRepository(OrderEntity).findOne({ where: { id } });
  }

  findByPayment(acquirer: string, paymentId: string): Promise<OrderEntity | null> {
    return this.uow.dataSource
      .getRepository(OrderEntity)
      .findOne({ where: { acquirer: acquirer as never, paymentId } });
  }

  private async registerWithin(
    em: EntityManager,
    input: RegisterOrderInput,
    now: Date,
  ): Promise<RegisterResult> {
    const repo = em.getRepository(OrderEntity);
    const existing = await repo.findOne({ where: { acquirer: input.acquirer, paymentId: input.paymentId } });
    if (existing) {
      const fields = registrationDifferences(input, existing);
      return fields.length === 0
        ? { kind: 'existing', order: existing }
        : { kind: 'conflict', order: existing, fields };
    }
    const authorizedAt = input.authorizedAt ? new Date(input.authorizedAt) : now;
    const captureDeadline = new Date(authorizedAt.getTime() + this.options.captureDeadlineDays * DAY);
    const snapshot = initialSnapshot({
      acquirer: input.acquirer,
      currency: input.amount.currency,
      authorizedAmount: input.amount.value,
      captureMode: input.captureMode,
      multiCapture: input.acquirer === 'antom' && input.multiCapture === true,
      fullCaptureOnly: input.fullCaptureOnly === true,
      captureDeadline: captureDeadline.toISOString(),
    });
    const order = repo.create({
      id: randomUUID(),
      merchantOrderId: input.merchantOrderId,
      acquirer: input.acquirer,
      paymentId: input.paymentId,
      paymentRequestId: input.paymentRequestId ?? null,
      currency: input.amount.currency,
      authorizedAmount: input.amount.value,
      capturedAmount: '0',
      captureMode: input.captureMode,
      multiCapture: snapshot.context.multiCapture,
      fullCaptureOnly: snapshot.context.fullCaptureOnly,
      state: snapshot.value,
      snapshot,
      machineVersion: MACHINE_VERSION,
      version: 1,
      authorizedAt,
      captureDeadline,
      captureAt: input.captureAt ? new Date(input.captureAt) : null,
      leaseOwner: null,
      leaseUntil: null,
      reviewReason: null,
      reviewSince: null,
      createdAt: now,
      updatedAt: now,
    });
    order.nextCheckAt = computeNextCheckAt(order, this.options);
    await repo.insert(order);
    return { kind: 'created', order };
  }
}
