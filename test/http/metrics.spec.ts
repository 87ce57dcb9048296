/**
 * GET /metrics: every family the issue asks for is exposed, and they move with what happens:
 * signed notifications (received, verified, rejected, duplicate, lag), transitions, resolved
 * capture attempts and their duration, and the database gauges read at scrape time.
 */
import { randomUUID } from 'node:crypto';
import { OrderEventApplier } from '../../src/capture/order-event-applier';
import { OutboxEventEntity } from '../../src/capture/persistence/entities';
import { OutboxDispatcher } from '../../src/outbox';
import { CaptureScheduler } from '../../src/scheduler';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp, registerOrder } from '../support/http-app';
import {
  antomCaptureBody,
  generateWebhookKeys,
  pendingAttempt,
  postAntom,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';
import { opsAuth, sample, scrape, scrapeUntil, total } from './metrics-scrape';
import { DAY } from '../support/time';

const keys = generateWebhookKeys();

const FAMILIES = [
  'order_capture_notifications_received_total',
  'order_capture_notifications_verified_total',
  'order_capture_notifications_rejected_total',
  'order_capture_notifications_duplicate_total',
  'order_capture_notification_lag_seconds',
  'order_capture_transitions_total',
  'order_capture_capture_attempts_total',
  'order_capture_capture_duration_seconds',
  'order_capture_orders',
  'order_capture_orders_in_review',
  'order_capture_authorizations_lapsing_24h',
  'order_capture_outbox_backlog',
  'order_capture_outbox_oldest_age_seconds',
  'order_capture_scheduler_batch_size',
  'order_capture_scheduler_batch_duration_seconds',
  'order_capture_database_gauges_up',
  'process_resident_memory_bytes',
];

describeEachDatabase('GET /metrics', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys, { LOG_LEVEL: 'silent' }));
  });
  afterAll(() => t.close());

  it('exposes every metric family as Prometheus text', async () => {
    const res = await t.http('/metrics', { headers: opsAuth(t) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const missing = FAMILIES.filter((f) => !text.includes(`# TYPE ${f} `));
    expect(missing).toEqual([]);
  });

  it('counts a signed capture notification, its transition and the resolved attempt', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY') });
    const captureRequestId = uniqueId('CR');
    await pendingAttempt(t, o.id, captureRequestId, '10000');
    const { samples: before } = await scrape(t);
    const antom = { acquirer: 'antom', type: 'CAPTURE_RESULT' };
    const pendingToCaptured = { from: 'capturePending', to: 'captured' };

    const body = antomCaptureBody({ paymentId: o.paymentId!, captureRequestId });
    expect((await postAntom(t, body, keys)).status).toBe(200);
    expect((await postAntom(t, body, keys)).status).toBe(200);
    expect(
      (await postAntom(t, body, keys, {}, { signature: 'algorithm=RSA256,keyVersion=1,signature=AAAA' }))
        .status,
    ).toBe(401);

    const after = await scrapeUntil(
      t,
      (s) =>
        sample(s, 'order_capture_capture_duration_seconds_count', {
          acquirer: 'antom',
          outcome: 'succeeded',
        }) > 0,
    );
    const delta = (name: string, labels: Record<string, string>) =>
      total(after, name, labels) - total(before, name, labels);
    expect(delta('order_capture_notifications_received_total', { acquirer: 'antom' })).toBe(3);
    expect(delta('order_capture_notifications_verified_total', antom)).toBe(2);
    expect(delta('order_capture_notifications_duplicate_total', antom)).toBe(1);
    expect(
      delta('order_capture_notifications_rejected_total', { acquirer: 'antom', reason: 'signature' }),
    ).toBe(1);
    expect(delta('order_capture_notification_lag_seconds_count', antom)).toBe(1);
    expect(delta('order_capture_transitions_total', pendingToCaptured)).toBe(1);
    expect(
      delta('order_capture_capture_attempts_total', {
        acquirer: 'antom',
        outcome: 'succeeded',
        result_code: 'SUCCESS',
      }),
    ).toBe(1);
    expect(
      delta('order_capture_capture_duration_seconds_count', { acquirer: 'antom', outcome: 'succeeded' }),
    ).toBe(1);
    expect(sample(after, 'order_capture_orders', { state: 'captured' })).toBeGreaterThanOrEqual(1);
  });

  it('reads orders by state, reviews, lapsing authorizations and the outbox backlog from the database', async () => {
    const lapsing = await registerOrder(t, {
      paymentId: uniqueId('PAY'),
      authorizedAt: new Date(Date.now() - 6.5 * DAY).toISOString(),
    });
    await t.app
      .get(OrderEventApplier)
      .apply(
        lapsing.id,
        { type: 'REVIEW_FLAGGED', reason: 'metrics test', at: new Date().toISOString() },
        'test',
      );
    // An event waiting for a retry an hour from now: undelivered for the whole test.
    await t.dataSource.getRepository(OutboxEventEntity).insert({
      eventId: randomUUID(),
      orderId: lapsing.id,
      type: 'order.metrics_test',
      payload: {},
      createdAt: new Date(Date.now() - 120_000),
      nextAttemptAt: new Date(Date.now() + 3_600_000),
      attempts: 1,
    });
    await t.app.get(OutboxDispatcher).idle();

    const { samples } = await scrape(t);
    const db = t.dataSource;
    const count = async (sql: string) => Number((await db.query(sql))[0].n);
    for (const state of ['authorized', 'capturePending', 'captured']) {
      expect(sample(samples, 'order_capture_orders', { state })).toBe(
        await count(`SELECT COUNT(*) AS n FROM orders WHERE state = '${state}'`),
      );
    }
    expect(sample(samples, 'order_capture_orders_in_review')).toBe(
      await count('SELECT COUNT(*) AS n FROM orders WHERE review_reason IS NOT NULL'),
    );
    expect(sample(samples, 'order_capture_orders_in_review')).toBeGreaterThanOrEqual(1);
    expect(sample(samples, 'order_capture_authorizations_lapsing_24h', { acquirer: 'antom' })).toBe(1);
    expect(sample(samples, 'order_capture_authorizations_lapsing_24h', { acquirer: 'payermax' })).toBe(0);
    expect(sample(samples, 'order_capture_outbox_backlog')).toBe(
      await count('SELECT COUNT(*) AS n FROM outbox_events WHERE delivered_at IS NULL'),
    );
    expect(sample(samples, 'order_capture_outbox_backlog')).toBeGreaterThanOrEqual(1);
    expect(sample(samples, 'order_capture_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(120);
    expect(sample(samples, 'order_capture_database_gauges_up')).toBe(1);
  });
});

describeEachDatabase('GET /metrics and the scheduler', (kind) => {
  it('records the size and duration of every batch a job claims', async () => {
    const t = await startTestApp(kind, { LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false' });
    try {
      const due = await registerOrder(t, {
        paymentId: uniqueId('PAY'),
        authorizedAt: new Date(Date.now() - 6.5 * DAY).toISOString(),
      });
      const { samples: before } = await scrape(t);
      await t.app.get(CaptureScheduler).tick(new Date());
      const { samples: after } = await scrape(t);
      const job = { job: 'dueOrders' };
      const delta = (name: string) => sample(after, name, job) - sample(before, name, job);
      expect(delta('order_capture_scheduler_batch_size_count')).toBe(1);
      // The one due order (its deadline warning) was claimed in that batch.
      expect(delta('order_capture_scheduler_batch_size_sum')).toBe(1);
      expect(delta('order_capture_scheduler_batch_duration_seconds_count')).toBe(1);
      expect(due.id).toBeDefined();
    } finally {
      await t.close();
    }
  });
});

describe('GET /metrics when PostgreSQL goes away', () => {
  it('still answers, with the database gauges marked down', async () => {
    const t = await startTestApp('postgres', { LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false' });
    try {
      await t.db.drop();
      const { samples } = await scrape(t);
      expect(sample(samples, 'order_capture_database_gauges_up')).toBe(0);
      expect(samples.has('process_resident_memory_bytes{}')).toBe(true);
    } finally {
      await t.close();
    }
  });
});
