import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CaptureModuleOptions } from '../../src/capture/options/capture-options';
import { CaptureModule } from '../../src/module/capture.module';
import { OrderEventApplier } from '../../src/capture/order-event-applier';
import { CaptureExecutor } from '../../src/capture/execution/capture-executor';
import { ACQUIRER_CLIENTS } from '../../src/capture/ports/acquirer-port';
import { OrdersService } from '../../src/capture/orders.service';
import { databaseOptions } from '../../src/capture/persistence/database-options';
import type { RegisterOrderInput } from '../../src/capture/registration';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases';
import { ScriptedAcquirer } from './scripted-acquirer';

export interface CaptureHarness {
  db: TestDatabase;
  module: TestingModule;
  dataSource: DataSource;
  capture: OrderEventApplier;
  orders: OrdersService;
  /** The acquirer the executor calls after commit; `hold()` keeps its calls in flight. */
  acquirer: ScriptedAcquirer;
  executor: CaptureExecutor;
  /** Acquirer calls wait until the returned release() runs (a call in flight, as in production). */
  hold(): () => void;
  close(): Promise<void>;
}

/** The capture module on a fresh real database, migrated the way the service migrates it. */
export async function createCaptureHarness(
  kind: DatabaseKind,
  options: Partial<CaptureModuleOptions> = {},
): Promise<CaptureHarness> {
  const db = await createTestDatabase(kind);
  const acquirer = new ScriptedAcquirer();
  const module = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot(databaseOptions(db.url, true)),
      EventEmitterModule.forRoot(),
      CaptureModule.forRoot({ schedulerEnabled: false, ...options }),
    ],
  })
    .overrideProvider(ACQUIRER_CLIENTS)
    .useValue(acquirer.clients)
    .compile();
  await module.init();
  const executor = module.get(CaptureExecutor);
  const gates: Array<() => void> = [];
  const releaseAll = () => gates.splice(0).forEach((open) => open());
  return {
    db,
    module,
    dataSource: module.get<DataSource>(getDataSourceToken()),
    capture: module.get(OrderEventApplier),
    orders: module.get(OrdersService),
    acquirer,
    executor,
    hold: () => {
      const gate = new Promise<void>((resolve) => gates.push(resolve));
      acquirer.onCall = () => gate;
      return () => {
        acquirer.onCall = undefined;
        releaseAll();
      };
    },
    close: async () => {
      releaseAll();
      await executor.whenIdle();
      await module.close();
      await db.drop();
    },
  };
}

let seq = 0;
/** A valid registration; every call gets its own payment id. */
export function registration(overrides: Partial<RegisterOrderInput> = {}): RegisterOrderInput {
  seq += 1;
  return {
    merchantOrderId: `M-${process.pid}-${seq}`,
    acquirer: 'antom',
    paymentId: `PAY-${process.pid}-${Date.now()}-${seq}`,
    amount: { currency: 'USD', value: '10000' },
    captureMode: 'MANUAL',
    ...overrides,
  };
}

export const at = (iso?: string) => iso ?? new Date().toISOString();
