import {
  CaptureAttemptEntity,
  OrderEntity,
  OrderTransitionEntity,
  OutboxEventEntity,
} from '../../src/capture/persistence/entities';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';

const now = () => new Date().toISOString();

describeEachDatabase('OrderEventApplier.apply', (kind) => {
  let h: ExecutionHarness;
  beforeAll(async () => {
    h = await createExecutionHarness(kind);
  });
  afterAll(() => h.close());

  async function newOrder(overrides = {}) {
    const r = await h.orders.register(registration(overrides));
    if (r.kind !== 'created') throw new Error(`expected created, got ${r.kind}`);
    return r.order;
  }
  const count = (entity: Parameters<ExecutionHarness['dataSource']['getRepository']>[0], orderId: string) =>
    h.dataSource.getRepository(entity).count({ where: { orderId } as never });

  it('applies a capture request: order, transition, attempt and no outbox row in one go', async () => {
    const order = await newOrder();
    const release = h.hold();
    const r = await h.capture.apply(
      order.id,
      {
        type: 'CAPTURE_REQUESTED',
        captureRequestId: `cr-${order.id}`,
        amount: { currency: 'USD', value: '10000' },
        at: now(),
      },
      'admin',
    );
    expect(r).toMatchObject({ kind: 'applied', from: 'authorized', to: 'capturePending' });
    const stored = await h.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
    expect(stored).toMatchObject({ state: 'capturePending', version: 2, capturedAmount: '0' });
    expect(stored.snapshot.value).toBe('capturePending');
    const transitions = await h.dataSource
      .getRepository(OrderTransitionEntity)
      .find({ where: { orderId: order.id } });
    expect(transitions).toEqual([
      expect.objectContaining({
        fromState: 'authorized',
        toState: 'capturePending',
        eventType: 'CAPTURE_REQUESTED',
        source: 'admin',
      }),
    ]);
    const attempt = await h.dataSource
      .getRepository(CaptureAttemptEntity)
      .findOneByOrFail({ captureRequestId: `cr-${order.id}` });
    // Committed before the acquirer answers: the call is in flight, the attempt pending.
    expect(attempt).toMatchObject({ status: 'pending', origin: 'merchant', amount: '10000' });
    expect(attempt.nextInquiryAt).toBeInstanceOf(Date);
    expect(await count(OutboxEventEntity, order.id)).toBe(0);
    release();
    await h.executor.whenIdle([order.id]);
    expect(h.acquirer.calls(`cr-${order.id}`)).toBe(1);
  });

  it('a success resolves the attempt, moves money and writes order.captured to the outbox', async () => {
    const order = await newOrder();
    const id = `cr-${order.id}`;
    // The notification overtakes the acquirer's synchronous answer, which then changes nothing.
    const release = h.hold();
    await h.capture.apply(
      order.id,
      {
        type: 'CAPTURE_REQUESTED',
        captureRequestId: id,
        amount: { currency: 'USD', value: '10000' },
        at: now(),
      },
      'admin',
    );
    const r = await h.capture.apply(
      order.id,
      {
        type: 'CAPTURE_SUCCEEDED',
        captureRequestId: id,
        captureId: 'cap-1',
        amount: { currency: 'USD', value: '10000' },
        at: now(),
      },
      'webhook:antom',
    );
    expect(r).toMatchObject({ kind: 'applied', from: 'capturePending', to: 'captured' });
    const stored = await h.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
    expect(stored).toMatchObject({
      state: 'captured',
      capturedAmount: '10000',
      nextCheckAt: null,
      reviewReason: null,
    });
    const attempt = await h.dataSource
      .getRepository(CaptureAttemptEntity)
      .findOneByOrFail({ captureRequestId: id });
    expect(attempt).toMatchObject({ status: 'succeeded', captureId: 'cap-1', nextInquiryAt: null });
    expect(attempt.resolvedAt).toBeInstanceOf(Date);
    const outbox = await h.dataSource.getRepository(OutboxEventEntity).find({ where: { orderId: order.id } });
    expect(outbox.map((e) => e.type)).toEqual(['order.captured']);
    expect(outbox[0]!.payload).toMatchObject({
      id: outbox[0]!.eventId,
      type: 'order.captured',
      order: { id: order.id, state: 'captured' },
    });
    release();
    await h.executor.whenIdle([order.id]);
    expect(await count(OrderTransitionEntity, order.id)).toBe(2);
  });

  it('a duplicate result writes nothing and says so', async () => {
    const order = await newOrder({ captureMode: 'AUTOMATIC' });
    const success = {
      type: 'CAPTURE_SUCCEEDED' as const,
      captureRequestId: `auto-${order.id}`,
      amount: { currency: 'USD', value: '10000' },
      at: now(),
    };
    expect((await h.capture.apply(order.id, success, 'webhook:antom')).kind).toBe('applied');
    const before = await h.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
    const r = await h.capture.apply(order.id, success, 'webhook:antom');
    expect(r).toMatchObject({ kind: 'duplicate', state: 'captured' });
    const after = await h.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
    expect(after.version).toBe(before.version);
    expect(await count(OrderTransitionEntity, order.id)).toBe(1);
    expect(await count(OutboxEventEntity, order.id)).toBe(1);
  });

  it('a refused event is a typed rejection with the reason, and writes nothing', async () => {
    const order = await newOrder();
    const r = await h.capture.apply(
      order.id,
      {
        type: 'CAPTURE_REQUESTED',
        captureRequestId: `cr-${order.id}`,
        amount: { currency: 'USD', value: '10001' },
        at: now(),
      },
      'admin',
    );
    expect(r).toEqual({
      kind: 'rejected',
      orderId: order.id,
      state: 'authorized',
      reason: expect.stringContaining('exceeds'),
    });
    expect(await count(OrderTransitionEntity, order.id)).toBe(0);
    expect(await count(CaptureAttemptEntity, order.id)).toBe(0);
  });

  it('a confirmed authorization time moves the deadline columns and the next check with it', async () => {
    const order = await newOrder();
    const repo = h.dataSource.getRepository(OrderEntity);
    const before = await repo.findOneByOrFail({ id: order.id });
    const DAY = 86_400_000;
    const authorizedAt = new Date(before.authorizedAt.getTime() - DAY);
    const captureDeadline = new Date(before.captureDeadline.getTime() - DAY);
    const r = await h.capture.apply(
      order.id,
      {
        type: 'AUTHORIZATION_CONFIRMED',
        authorizedAt: authorizedAt.toISOString(),
        captureDeadline: captureDeadline.toISOString(),
        at: now(),
      },
      'webhook:antom',
    );
    expect(r).toMatchObject({ kind: 'applied' });
    const after = await repo.findOneByOrFail({ id: order.id });
    expect(after.captureDeadline.toISOString()).toBe(captureDeadline.toISOString());
    expect(after.authorizedAt.toISOString()).toBe(authorizedAt.toISOString());
    // Computed from the new deadline, not from the column as it was before.
    expect(after.nextCheckAt!.getTime()).toBe(before.nextCheckAt!.getTime() - DAY);
  });

  it('an unknown order is notFound', async () => {
    const r = await h.capture.apply(
      '00000000-0000-0000-0000-000000000000',
      { type: 'DEADLINE_WARNING', at: now() },
      'scheduler',
    );
    expect(r).toEqual({ kind: 'notFound', orderId: '00000000-0000-0000-0000-000000000000' });
  });

  it('keeps amounts exact up to 2^63-1 minor units', async () => {
    const max = '9223372036854775807';
    const order = await newOrder({ captureMode: 'AUTOMATIC', amount: { currency: 'IDR', value: max } });
    await h.capture.apply(
      order.id,
      {
        type: 'CAPTURE_SUCCEEDED',
        captureRequestId: `big-${order.id}`,
        amount: { currency: 'IDR', value: max },
        at: now(),
      },
      'test',
    );
    const stored = await h.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
    expect(stored).toMatchObject({ authorizedAmount: max, capturedAmount: max, state: 'captured' });
    const attempt = await h.dataSource
      .getRepository(CaptureAttemptEntity)
      .findOneByOrFail({ captureRequestId: `big-${order.id}` });
    expect(attempt.amount).toBe(max);
  });

  it('runs after-commit handlers once the transition is visible, and a failing handler does not undo it', async () => {
    const order = await newOrder();
    const seen: string[] = [];
    h.capture.onCommitted(async (applied) => {
      if (applied.orderId !== order.id) return;
      const committed = await h.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
      seen.push(`${applied.to}:${committed.state}:${applied.effects.map((e) => e.type).join(',')}`);
      throw new Error('effect blew up');
    });
    const r = await h.capture.apply(
      order.id,
      {
        type: 'CAPTURE_REQUESTED',
        captureRequestId: `hook-${order.id}`,
        amount: { currency: 'USD', value: '500' },
        at: now(),
      },
      'admin',
    );
    expect(r.kind).toBe('applied');
    expect(seen).toEqual(['capturePending:capturePending:callCapture']);
  });
});
