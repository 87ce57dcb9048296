import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { OrderEventApplier } from '../../src/capture/order-event-applier';
import { OrdersService } from '../../src/capture/orders.service';
import { UnitOfWork } from '../../src/capture/persistence/unit-of-work';
import type { RegisterOrderInput } from '../../src/capture/registration';
import { loadConfig } from '../../src/config/app-config';

export interface CaptureContext {
  app: INestApplicationContext;
  orders: OrdersService;
  capture: OrderEventApplier;
  uow: UnitOfWork;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * The service's own modules without HTTP and without jobs, for seeding: orders are registered
 * and attempts committed through the same code paths as in production, never by hand-made SQL.
 */
export async function openCaptureContext(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<CaptureContext> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: ['error'] });
  return {
    app,
    orders: app.get(OrdersService),
    capture: app.get(OrderEventApplier),
    uow: app.get(UnitOfWork),
    dataSource: app.get<DataSource>(getDataSourceToken()),
    close: () => app.close(),
  };
}

export interface SeededOrder {
  orderId: string;
  paymentId: string;
  captureRequestId: string | null;
}

/**
 * `count` MANUAL Antom orders (USD 100.00); with `pendingCapture`, each gets a committed capture
 * attempt whose after-commit effects are not run: the acquirer is never called, exactly what a
 * crash right after the commit leaves, waiting for a notification or an inquiry.
 */
export async function seedOrders(
  ctx: CaptureContext,
  prefix: string,
  count: number,
  options: {
    pendingCapture: boolean;
    authorizedAt?: Date;
    concurrency?: number;
    input?: Partial<RegisterOrderInput>;
  },
): Promise<SeededOrder[]> {
  const seeded = new Array<SeededOrder>(count);
  await inParallel(count, options.concurrency ?? (ctx.uow.isPostgres ? 16 : 1), async (i) => {
    const paymentId = `${prefix}-PAY-${i}`;
    const result = await ctx.orders.register({
      merchantOrderId: `${prefix}-M-${i}`,
      acquirer: 'antom',
      paymentId,
      amount: { currency: 'USD', value: '10000' },
      captureMode: 'MANUAL',
      ...(options.authorizedAt ? { authorizedAt: options.authorizedAt.toISOString() } : {}),
      ...options.input,
    });
    if (result.kind !== 'created') throw new Error(`seed ${paymentId}: ${result.kind}`);
    const orderId = result.order.id;
    let captureRequestId: string | null = null;
    if (options.pendingCapture) {
      captureRequestId = `${prefix}-CR-${i}`;
      const event = {
        type: 'CAPTURE_REQUESTED' as const,
        captureRequestId,
        amount: { currency: 'USD', value: '10000' },
        at: new Date().toISOString(),
      };
      const applied = await ctx.uow.run((em) => ctx.capture.applyWithin(em, orderId, event, 'bench'), {
        skipAfterCommit: true,
      });
      if (applied.kind !== 'applied') throw new Error(`seed ${paymentId}: capture request ${applied.kind}`);
    }
    seeded[i] = { orderId, paymentId, captureRequestId };
  });
  return seeded;
}

/** Runs work(0..count-1), at most `concurrency` at a time. */
export async function inParallel(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
