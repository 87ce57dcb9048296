/**
 * A shop's own NestJS app on either HTTP adapter, with its own `orders` table and its own
 * /orders route, mounting the capture module under a prefix, on its own named connection and
 * prefixed tables: the two must not meet. The webhooks verify over the raw bytes on both adapters.
 */
import { Controller, Get, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ScheduleModule } from '@nestjs/schedule';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { Client } from 'pg';
import Database from 'better-sqlite3';
import { Column, DataSource, Entity, PrimaryColumn, type DataSourceOptions } from 'typeorm';
import {
  CAPTURE_ENTITIES,
  CAPTURE_MIGRATIONS,
  CaptureHealthIndicator,
  CaptureMetricsModule,
  CaptureModule,
  installWebhookHttp,
  MetricsService,
  parsePublicKey,
} from '../../src';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases';
import { registration } from '../support/capture-testing';
import { signAntomNotification, TEST_ANTOM_CLIENT_ID } from '../fixtures/seed-bodies';
import { ANTOM_SUCCESS_ACK, antomCaptureBody, generateWebhookKeys, uniqueId } from '../support/webhooks';

const TOKEN = 'host-options-admin-token';
const keys = generateWebhookKeys();

@Entity('orders')
class ShopOrder {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) customer!: string;
}

/** The shop's own health and metrics endpoints, with the module's checks and registry in them. */
@Controller('ops')
class ShopOpsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly capture: CaptureHealthIndicator,
    private readonly metrics: MetricsService,
  ) {}
  @Get('health') ready() {
    return this.health.check([...this.capture.checks()]);
  }
  @Get('metrics') async scrape() {
    return { text: (await this.metrics.scrape()).body };
  }
}

@Controller('orders')
class ShopOrdersController {
  constructor(@InjectDataSource('shop') private readonly shop: DataSource) {}
  @Get() list() {
    return this.shop.getRepository(ShopOrder).find();
  }
}

function shopDatabase(db: TestDatabase): DataSourceOptions {
  return db.kind === 'postgres'
    ? { type: 'postgres', url: db.url }
    : { type: 'better-sqlite3', database: db.url.slice('sqlite:'.length) };
}

/** The shop's table as it was before order-capture came: same name as ours would have been. */
async function createShopTable(db: TestDatabase): Promise<void> {
  const sql = [
    'CREATE TABLE orders (id varchar(36) PRIMARY KEY, customer varchar(64) NOT NULL)',
    "INSERT INTO orders (id, customer) VALUES ('SO-1', 'Ada')",
  ];
  if (db.kind === 'sqlite') {
    const file = new Database(db.url.slice('sqlite:'.length));
    for (const s of sql) file.exec(s);
    file.close();
    return;
  }
  const client = new Client({ connectionString: db.url });
  await client.connect();
  for (const s of sql) await client.query(s);
  await client.end();
}

interface ShopSetup {
  db: TestDatabase;
  routes?: { admin?: boolean };
  withEvents?: boolean;
  withTypeOrm?: boolean;
}

function shopConnection(db: TestDatabase): DynamicModule {
  return TypeOrmModule.forRoot({
    ...shopDatabase(db),
    name: 'shop',
    entities: [ShopOrder, ...CAPTURE_ENTITIES],
    migrations: [...CAPTURE_MIGRATIONS],
    migrationsRun: true,
  });
}

function shopModule(setup: ShopSetup): DynamicModule {
  @Module({})
  class ShopModule {}
  return {
    module: ShopModule,
    controllers: [ShopOrdersController, ShopOpsController],
    imports: [
      ...(setup.withTypeOrm === false ? [] : [shopConnection(setup.db)]),
      ...(setup.withEvents === false ? [] : [EventEmitterModule.forRoot()]),
      ScheduleModule.forRoot(),
      TerminusModule,
      CaptureMetricsModule,
      CaptureModule.forRootAsync({
        routePrefix: 'payments',
        tablePrefix: 'capture_',
        connectionName: 'shop',
        routes: { admin: setup.routes?.admin ?? true },
        useFactory: () => ({
          adminToken: TOKEN,
          schedulerEnabled: false,
          antom: {
            baseUrl: 'http://127.0.0.1:9',
            clientId: TEST_ANTOM_CLIENT_ID,
            merchantPrivateKey: keys.merchant.privateKey,
            publicKey: parsePublicKey(keys.antom.publicKeyPem, 'ANTOM_PUBLIC_KEY'),
            notifyPath: '/payments/webhooks/antom',
          },
        }),
      }),
    ],
  };
}

type AdapterName = 'express' | 'fastify';

async function startShop(
  adapter: AdapterName,
  setup: ShopSetup,
): Promise<{ app: INestApplication; base: string }> {
  const app = await NestFactory.create(
    shopModule(setup),
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false, abortOnError: false },
  );
  installWebhookHttp(app, 4096, { routePrefix: 'payments' });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  const address = app.getHttpServer().address();
  return { app, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

for (const adapter of ['express', 'fastify'] as const) {
  for (const kind of DATABASE_KINDS) {
    describe(`a shop on ${adapter} with its own orders table [${kind}]`, () => {
      let db: TestDatabase;
      let app: INestApplication;
      let base: string;

      beforeAll(async () => {
        db = await createTestDatabase(kind);
        await createShopTable(db);
        ({ app, base } = await startShop(adapter, { db, routes: { admin: false } }));
      });
      afterAll(async () => {
        await app?.close();
        await db?.drop();
      });

      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${TOKEN}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const notify = (body: string, headers: Record<string, string>) =>
        fetch(`${base}/payments/webhooks/antom`, { method: 'POST', headers, body });

      it('registers under the prefix, captures by a signed notification, and leaves the shop its orders', async () => {
        const input = registration({ captureMode: 'AUTOMATIC' });
        const registered = await api('POST', '/payments/orders', input);
        expect(registered.status).toBe(201);
        const body = antomCaptureBody({
          paymentId: input.paymentId,
          captureRequestId: uniqueId('cr'),
          value: input.amount.value,
        });
        const res = await notify(
          body,
          signAntomNotification(body, keys.antom.privateKey, { path: '/payments/webhooks/antom' }),
        );
        expect({ status: res.status, body: await res.json() }).toEqual({
          status: 200,
          body: ANTOM_SUCCESS_ACK,
        });
        expect((await api('GET', `/payments/orders/${String(registered.body.id)}`)).body).toMatchObject({
          state: 'captured',
        });
        // The shop's own route and table are untouched.
        expect(await api('GET', '/orders')).toEqual({
          status: 200,
          body: [{ id: 'SO-1', customer: 'Ada' }] as never,
        });
      });

      it('answers in the acquirer format on this adapter: a forged, an unsigned and an oversized notification', async () => {
        const body = antomCaptureBody({ paymentId: 'nobody', captureRequestId: uniqueId('cr') });
        const forged = await notify(
          body,
          signAntomNotification(body, keys.merchant.privateKey, { path: '/payments/webhooks/antom' }),
        );
        expect(forged.status).toBe(401);
        expect(await forged.json()).toMatchObject({
          result: { resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' },
        });
        const huge = JSON.stringify({ padding: 'x'.repeat(8000) });
        const tooLarge = await notify(
          huge,
          signAntomNotification(huge, keys.antom.privateKey, { path: '/payments/webhooks/antom' }),
        );
        expect(tooLarge.status).toBe(413);
        expect(await tooLarge.json()).toMatchObject({
          result: { resultStatus: 'F', resultCode: 'REQUEST_TOO_LARGE' },
        });
        const text = await notify('hello', { 'content-type': 'text/plain' });
        expect(text.status).toBe(415);
        expect(await text.json()).toMatchObject({ result: { resultStatus: 'F' } });
      });

      it("mounts the module's health checks and metrics in the shop's own endpoints", async () => {
        const health = await api('GET', '/ops/health');
        expect(health).toMatchObject({
          status: 200,
          body: {
            status: 'ok',
            info: {
              orderCaptureDatabase: { status: 'up' },
              orderCaptureMigrations: { status: 'up' },
              orderCaptureScheduler: { status: 'up', enabled: false },
            },
          },
        });
        const { body } = await api('GET', '/ops/metrics');
        expect(String(body.text)).toMatch(/order_capture_orders\{state="captured"\} 1/);
      });

      it('keeps its error shape on its own routes and leaves switched-off groups unmounted', async () => {
        const bad = await api('POST', '/payments/orders', { merchantOrderId: '' });
        expect(bad.status).toBe(400);
        expect(bad.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: 'acquirer' })]),
        );
        expect((await api('GET', '/payments/admin/stats')).status).toBe(404);
        expect((await api('GET', '/admin/stats')).status).toBe(404);
      });
    });
  }
}

describe('a shop that forgot part of the setup is told what', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterAll(() => db.drop());

  it('names EventEmitterModule when domain events could not reach anyone', async () => {
    await expect(startShop('fastify', { db, withEvents: false })).rejects.toThrow(
      /EventEmitterModule\.forRoot\(\)/,
    );
  });

  it('names the TypeORM connection it cannot find', async () => {
    await expect(startShop('express', { db, withTypeOrm: false })).rejects.toThrow(
      /no TypeORM DataSource "shop"/,
    );
  });
});
