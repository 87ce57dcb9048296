/**
 * The module harness: the capture module (executor, reconciliation, scheduler included) on a
 * fresh real database, migrated the way the service migrates it, with the acquirer replaced by a
 * ScriptedAcquirer: everything of ours is real. Several harnesses can share one database (and one
 * acquirer) to play several service instances. The whole service over HTTP is http-app.ts.
 */
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CaptureModuleOptions } from '../../src/capture/options/capture-options';
import { CaptureModule } from '../../src/module/capture.module';
import { OrderEventApplier } from '../../src/capture/order-event-applier';
import { CaptureRequestService } from '../../src/capture/execution/capture-request.service';
import { CaptureExecutor } from '../../src/capture/execution/capture-executor';
import { ReconciliationService } from '../../src/capture/execution/reconciliation.service';
import { OrdersService } from '../../src/capture/orders.service';
import { databaseOptions } from '../../src/capture/persistence/database-options';
import { CaptureAttemptEntity, OrderEntity } from '../../src/capture/persistence/entities';
import { UnitOfWork } from '../../src/capture/persistence/unit-of-work';
import { ACQUIRER_CLIENTS } from '../../src/capture/ports/acquirer-port';
import type { RegisterOrderInput } from '../../src/capture/registration';
import { CaptureScheduler } from '../../src/scheduler/capture-scheduler';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases';
import { readHistory } from './history';
import { ScriptedAcquirer } from './scripted-acquirer';

/** Children first. */
const TABLES = ['outbox_events', 'inbound_notifications', 'order_transitions', 'capture_attempts', 'orders'];

export interface ExecutionHarness {
  db: TestDatabase;
  module: TestingModule;
  dataSource: DataSource;
  acquirer: ScriptedAcquirer;
  capture: OrderEventApplier;
  orders: OrdersService;
  requests: CaptureRequestService;
  executor: CaptureExecutor;
  reconciliation: ReconciliationService;
  scheduler: CaptureScheduler;
  uow: UnitOfWork;
  /** Registers and returns the order (throws unless created). */
  order(input: RegisterOrderInput): Promise<OrderEntity>;
  reload(orderId: string): Promise<OrderEntity>;
  attempts(orderId: string): Promise<CaptureAttemptEntity[]>;
  /** "EVENT:from->to" per transition, oldest first (history.ts). */
  history(orderId: string): Promise<string[]>;
  /** Acquirer calls wait until the returned release() runs (a call in flight, as in production). */
  hold(): () => void;
  /** Empties every table, so that one test's due orders never show up in another's ticks. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Test options: the scheduler is driven by tick(now), never by a timer. */
export const TEST_OPTIONS: Partial<CaptureModuleOptions> = {
  schedulerEnabled: false,
  inquiryBackoffMs: [60_000, 300_000, 900_000],
  captureRetryMax: 2,
  captureRetryBackoffMs: 600_000,
  automaticCaptureGraceMs: 3_600_000,
};

export async function createExecutionHarness(
  kind: DatabaseKind,
  options: Partial<CaptureModuleOptions> = {},
  extra: { db?: TestDatabase; acquirer?: ScriptedAcquirer; imports?: ModuleMetadata['imports'] } = {},
): Promise<ExecutionHarness> {
  const shared = extra.db !== undefined;
  const db = extra.db ?? (await createTestDatabase(kind));
  const acquirer = extra.acquirer ?? new ScriptedAcquirer();
  const module = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot(databaseOptions(db.url, true)),
      EventEmitterModule.forRoot(),
      CaptureModule.forRoot({ ...TEST_OPTIONS, ...options }),
      ...(extra.imports ?? []),
    ],
  })
    .overrideProvider(ACQUIRER_CLIENTS)
    .useValue(acquirer.clients)
    .compile();
  await module.init();
  const dataSource = module.get<DataSource>(getDataSourceToken());
  const orders = module.get(OrdersService);
  const executor = module.get(CaptureExecutor);
  const gates: Array<() => void> = [];
  const releaseAll = () => gates.splice(0).forEach((open) => open());
  return {
    db,
    module,
    dataSource,
    acquirer,
    capture: module.get(OrderEventApplier),
    orders,
    requests: module.get(CaptureRequestService),
    executor,
    reconciliation: module.get(ReconciliationService),
    scheduler: module.get(CaptureScheduler),
    uow: module.get(UnitOfWork),
    order: async (input) => {
      const r = await orders.register(input);
      if (r.kind !== 'created') throw new Error(`expected created, got ${r.kind}`);
      return r.order;
    },
    reload: (id) => dataSource.getRepository(OrderEntity).findOneByOrFail({ id }),
    attempts: (orderId) =>
      dataSource
        .getRepository(CaptureAttemptEntity)
        .find({ where: { orderId }, order: { createdAt: 'ASC' } }),
    history: (orderId) => readHistory(dataSource, orderId),
    hold: () => {
      const gate = new Promise<void>((resolve) => gates.push(resolve));
      acquirer.onCall = () => gate;
      return () => {
        acquirer.onCall = undefined;
        releaseAll();
      };
    },
    reset: async () => {
      await executor.whenIdle();
      await module.get(UnitOfWork).run(async (em) => {
        for (const table of TABLES) await em.query(`DELETE FROM ${table}`);
      });
    },
    close: async () => {
      releaseAll();
      await executor.whenIdle();
      await module.close();
      if (!shared) await db.drop();
    },
  };
}
