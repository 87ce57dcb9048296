/**
 * A host NestJS app embedding the capture module with its own TypeORM connection and
 * configuration (CaptureModule.forRootAsync), driving one order to captured through the routes
 * it gets, the acquirer (the loopback sandbox) and the domain events. (The README's install
 * example is the consumer test's host, compiled against the packed package.)
 */
import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import {
  CAPTURE_ENTITIES,
  CAPTURE_MIGRATIONS,
  CaptureModule,
  parsePrivateKey,
  parsePublicKey,
  setupCaptureHttp,
  type DomainEvent,
} from '../src';

/** The shop's own code: release a parcel once its payment is captured. */
@Injectable()
export class ParcelRelease {
  readonly released = new Set<string>();

  @OnEvent('order.captured') // after commit, at least once: deduplicate on event.id
  onCaptured(event: DomainEvent): void {
    this.released.add(event.order.merchantOrderId);
  }
}

@Module({})
export class ShopModule {
  static register(database: DataSourceOptions): DynamicModule {
    return {
      module: ShopModule,
      imports: [
        // The shop's own connection: the capture tables come with their migrations.
        TypeOrmModule.forRoot({
          ...database,
          entities: [...CAPTURE_ENTITIES],
          migrations: [...CAPTURE_MIGRATIONS],
          migrationsRun: true,
        }),
        EventEmitterModule.forRoot(), // domain events to @OnEvent listeners
        ScheduleModule.forRoot(), // scheduled captures, inquiries, deadlines
        CaptureModule.forRootAsync({
          useFactory: async () => ({
            adminToken: process.env.ADMIN_TOKEN, // bearer token of /orders and /admin
            shippingWebhookUrl: process.env.SHIPPING_WEBHOOK_URL, // optional
            antom: {
              baseUrl: process.env.ANTOM_BASE_URL!,
              clientId: process.env.ANTOM_CLIENT_ID!,
              merchantPrivateKey: parsePrivateKey(
                process.env.ANTOM_MERCHANT_PRIVATE_KEY,
                'ANTOM_MERCHANT_PRIVATE_KEY',
              ),
              publicKey: parsePublicKey(process.env.ANTOM_PUBLIC_KEY, 'ANTOM_PUBLIC_KEY'),
              notifyPath: '/webhooks/antom',
            },
          }),
        }),
      ],
      providers: [ParcelRelease],
    };
  }
}

export async function startShop(database: DataSourceOptions, port: number): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ShopModule.register(database),
    new FastifyAdapter(),
    { rawBody: true }, // the webhooks verify signatures over the exact bytes
  );
  setupCaptureHttp(app); // optional: /docs, and Fastify's own errors in the API's error shape
  await app.listen(port, '127.0.0.1');
  return app;
}
import { createSandbox, SANDBOX_DEFAULTS, type Sandbox } from '../src/sandbox/sandbox';
import { registration } from './support/capture-testing';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './support/databases';

const TOKEN = 'embedding-host-token-0123456789';

function hostDatabase(db: TestDatabase): DataSourceOptions {
  return db.kind === 'postgres'
    ? { type: 'postgres', url: db.url }
    : { type: 'better-sqlite3', database: db.url.slice('sqlite:'.length) };
}

describeEachDatabase('a host app embedding CaptureModule.forRootAsync', (kind) => {
  let db: TestDatabase;
  let sandbox: Sandbox;
  let app: NestFastifyApplication;
  let base: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    sandbox = await createSandbox({ antom: { clientId: SANDBOX_DEFAULTS.antomClientId } });
    const merchant = sandbox.keys.merchant!;
    Object.assign(process.env, {
      ADMIN_TOKEN: TOKEN,
      ANTOM_BASE_URL: sandbox.url,
      ANTOM_CLIENT_ID: sandbox.keys.antomClientId,
      ANTOM_MERCHANT_PRIVATE_KEY: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ANTOM_PUBLIC_KEY: sandbox.keys.sandboxPublicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    app = await startShop(hostDatabase(db), 0);
    const address = app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    sandbox.setNotifyBaseUrl(base);
  });

  afterAll(async () => {
    await app.close();
    await sandbox.close();
    await db.drop();
    process.env = saved;
  });

  const http = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('drives one order from registration to captured, and the shop hears order.captured', async () => {
    const input = registration({ captureMode: 'MANUAL' });
    sandbox.payment({ paymentId: input.paymentId, amount: input.amount });

    const registered = await http('POST', '/orders', input);
    expect(registered.status).toBe(201);
    const id = String(registered.body.id);
    expect((await http('GET', `/orders/${id}/shipment`)).body).toMatchObject({ shippable: false });

    const accepted = await http('POST', `/admin/orders/${id}/capture`);
    expect(accepted).toMatchObject({ status: 202, body: { status: 'pending' } });

    const deadline = Date.now() + 10_000;
    let shipment = await http('GET', `/orders/${id}/shipment`);
    while (!shipment.body.shippable && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      shipment = await http('GET', `/orders/${id}/shipment`);
    }
    expect(shipment.body).toEqual({
      shippable: true,
      state: 'captured',
      capturedAmount: input.amount,
      authorizedAmount: input.amount,
      reason: null,
    });
    const parcels = app.get(ParcelRelease);
    while (!parcels.released.has(input.merchantOrderId) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect([...parcels.released]).toEqual([input.merchantOrderId]);
    expect(sandbox.counts(input.paymentId).byPaymentId[input.paymentId]).toMatchObject({ succeeded: 1 });
  });

  it('keeps the API error shape and serves /docs-json (with the token) in the host', async () => {
    const unauthorized = await fetch(`${base}/admin/stats`);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect((await http('POST', '/orders', {})).status).toBe(400);
    // The ops token of a host without OPS_TOKEN is its admin token.
    expect((await fetch(`${base}/docs-json`)).status).toBe(401);
    const docs = await fetch(`${base}/docs-json`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(docs.status).toBe(200);
  });
});
