/**
 * SHIPPING_WEBHOOK_URL with `user:password@`: the credentials go out as HTTP Basic
 * authorization (percent-decoded, as URL userinfo is), the URL is fetched without them, and
 * when the endpoint fails they appear neither in the stored last_error nor in any log line.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { OutboxEventEntity } from '../../src/capture/persistence/entities';
import { createRootLogger } from '../../src/observability/logger';
import { createTestDatabase, describeEachDatabase, type DatabaseKind } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { startShippingEndpoint, type ShippingEndpoint } from './outbox-endpoint.support';
import { eventually, orderIn } from './orders-api.support';
import { closedPort } from './sandbox.support';
import { TOKEN } from '../support/http-app';

const USER = 'ship user';
const PASSWORD = 'p@ss/w:rd-s3cr3t';
/** As they must be written in a URL's userinfo. */
const USERINFO = `${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}`;

/**
 * Every log line of the file's apps (JSON, one per line, as on stdout). One list for the whole
 * file: nestjs-pino keeps one request logger per process, so a later app in this process may
 * write through the first app's root logger.
 */
const lines: string[] = [];

/** The service with its log lines captured. */
async function startLoggedApp(kind: DatabaseKind, webhookUrl: string) {
  const db = await createTestDatabase(kind);
  const config = loadConfig({
    ADMIN_TOKEN: TOKEN,
    SCHEDULER_ENABLED: 'false',
    SHIPPING_WEBHOOK_URL: webhookUrl,
    DATABASE_URL: db.url,
    LOG_LEVEL: 'debug',
  });
  const logger = createRootLogger('debug', { write: (line: string) => void lines.push(line) });
  const app: NestFastifyApplication = await createApp(config, { logger });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const t = {
    app,
    config,
    db,
    baseUrl,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    http: (path: string, init?: RequestInit) => fetch(`${baseUrl}${path}`, init),
    close: async () => {
      await app.close();
      await db.drop();
    },
  } satisfies TestApp;
  return { t, lines };
}

describeEachDatabase('SHIPPING_WEBHOOK_URL with credentials', (kind) => {
  let endpoint: ShippingEndpoint;
  beforeAll(async () => {
    endpoint = await startShippingEndpoint();
  });
  afterAll(() => endpoint.close());

  it('sends them as Basic authorization and delivers', async () => {
    const url = endpoint.url.replace('http://', `http://${USERINFO}@`);
    const { t } = await startLoggedApp(kind, url);
    try {
      const order = await orderIn(t, 'captured');
      const received = await eventually(async () => endpoint.delivered().find((r) => r.orderId === order.id));
      const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      expect(received.authorization).toBe(expected);
      expect(received.type).toBe('order.captured');
    } finally {
      await t.close();
    }
  });

  it.each(['unreachable', 'answering 503'])(
    'keeps them out of last_error and the logs when the endpoint is %s',
    async (how) => {
      const target = how === 'unreachable' ? `http://127.0.0.1:${await closedPort()}/events` : endpoint.url;
      endpoint.setDown(how !== 'unreachable');
      const { t, lines } = await startLoggedApp(kind, target.replace('http://', `http://${USERINFO}@`));
      try {
        const order = await orderIn(t, 'captured');
        const row = await eventually(async () => {
          const r = await t.dataSource.getRepository(OutboxEventEntity).findOneBy({ orderId: order.id });
          return r && r.attempts >= 2 && r.lastError ? r : undefined;
        });
        expect(row.deliveredAt).toBeNull();
        expect(row.lastError).toMatch(/^shipping webhook (unreachable|answered 503)/);
        const logged = lines.filter((l) => l.includes(row.eventId));
        expect(logged.length).toBeGreaterThanOrEqual(2);
        for (const text of [row.lastError!, ...lines]) {
          for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), 'p%40ss', 's3cr3t', USERINFO]) {
            expect(text).not.toContain(secret);
          }
        }
      } finally {
        endpoint.setDown(false);
        await t.close();
      }
    },
  );
});

describe('SHIPPING_WEBHOOK_URL credentials in configuration', () => {
  it('refuses userinfo that is not valid percent-encoding, without quoting it', () => {
    expect(() => loadConfig({ SHIPPING_WEBHOOK_URL: 'https://user:100%zz@shop.example/events' })).toThrow(
      /SHIPPING_WEBHOOK_URL credentials must be valid percent-encoding/,
    );
    try {
      loadConfig({ SHIPPING_WEBHOOK_URL: 'https://user:100%zz@shop.example/events' });
    } catch (err) {
      expect((err as Error).message).not.toContain('100%zz');
    }
  });
});
