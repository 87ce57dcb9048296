import { OrderEntity } from '../../src/capture/persistence/entities';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';

describeEachDatabase('OrdersService.register', (kind) => {
  let h: ExecutionHarness;
  beforeAll(async () => {
    h = await createExecutionHarness(kind, { captureDeadlineDays: 7 });
  });
  afterAll(() => h.close());

  it('creates an authorized order with its deadline counted from authorizedAt', async () => {
    const input = registration({
      authorizedAt: '2026-11-01T10:00:00.000Z',
      captureAt: '2026-11-02T10:00:00.000Z',
    });
    const r = await h.orders.register(input);
    expect(r.kind).toBe('created');
    const stored = await h.dataSource
      .getRepository(OrderEntity)
      .findOneByOrFail({ paymentId: input.paymentId });
    expect(stored).toMatchObject({
      state: 'authorized',
      capturedAmount: '0',
      authorizedAmount: '10000',
      currency: 'USD',
      version: 1,
    });
    expect(stored.captureDeadline.toISOString()).toBe('2026-11-08T10:00:00.000Z');
    expect(stored.captureAt?.toISOString()).toBe('2026-11-02T10:00:00.000Z');
    expect(stored.nextCheckAt?.toISOString()).toBe('2026-11-02T10:00:00.000Z');
    expect(stored.snapshot).toEqual({
      value: 'authorized',
      context: expect.objectContaining({ captureDeadline: '2026-11-08T10:00:00.000Z' }),
    });
  });

  it('the same registration again returns the same order; omitted fields do not count', async () => {
    const input = registration();
    const first = await h.orders.register(input);
    const again = await h.orders.register(input);
    const { authorizedAt: _omitted, ...withoutTime } = { ...input, authorizedAt: undefined };
    const third = await h.orders.register(withoutTime);
    expect(first.kind).toBe('created');
    expect(again.kind).toBe('existing');
    expect(third.kind).toBe('existing');
    if (first.kind === 'created' && again.kind === 'existing') expect(again.order.id).toBe(first.order.id);
  });

  it('a different registration for the same payment is a conflict naming the fields', async () => {
    const input = registration();
    await h.orders.register(input);
    const r = await h.orders.register({ ...input, amount: { currency: 'EUR', value: '1' } });
    expect(r).toMatchObject({ kind: 'conflict', fields: ['amount.currency', 'amount.value'] });
  });

  it('rejects invalid input naming every field', async () => {
    const r = await h.orders.register({
      ...registration(),
      acquirer: 'stripe' as never,
      amount: { currency: 'usd', value: '10.5' },
      captureMode: 'LATER' as never,
      authorizedAt: 'yesterday',
    });
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') {
      expect(r.errors.map((e) => e.field).sort()).toEqual([
        'acquirer',
        'amount.currency',
        'amount.value',
        'authorizedAt',
        'captureMode',
      ]);
    }
  });

  it('concurrent identical registrations create exactly one order', async () => {
    const input = registration();
    const results = await Promise.all(Array.from({ length: 10 }, () => h.orders.register(input)));
    expect(results.filter((r) => r.kind === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'existing')).toHaveLength(9);
    expect(
      await h.dataSource.getRepository(OrderEntity).count({ where: { paymentId: input.paymentId } }),
    ).toBe(1);
  });

  it('PayerMax orders are single-capture whatever the input says', async () => {
    const r = await h.orders.register(registration({ acquirer: 'payermax', multiCapture: true }));
    expect(r).toMatchObject({ kind: 'invalid', errors: [{ field: 'multiCapture' }] });
  });

  it('notifies registration handlers after commit', async () => {
    const seen: string[] = [];
    h.orders.onRegistered(async (order) => {
      const stored = await h.dataSource.getRepository(OrderEntity).findOneBy({ id: order.id });
      seen.push(stored ? 'visible' : 'missing');
    });
    await h.orders.register(registration());
    expect(seen).toEqual(['visible']);
  });
});
