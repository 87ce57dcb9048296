/**
 * capture_attempts mirrors every attempt of the snapshot, whatever its id: an id is acquirer
 * input (a signed notification may carry any captureRequestId), so names Object.prototype also
 * has must get their row like any other.
 */
import { CaptureAttemptEntity } from '../../src/capture/persistence/entities';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';

describeEachDatabase('attempt rows', (kind) => {
  let h: ExecutionHarness;
  beforeAll(async () => {
    h = await createExecutionHarness(kind);
  });
  afterAll(() => h.close());

  it.each(['constructor', '__proto__', 'toString'])(
    'a success for captureRequestId %s moves money and writes its attempt row',
    async (captureRequestId) => {
      const r = await h.orders.register(registration({ captureMode: 'AUTOMATIC' }));
      if (r.kind !== 'created') throw new Error(r.kind);
      const applied = await h.capture.apply(
        r.order.id,
        {
          type: 'CAPTURE_SUCCEEDED',
          captureRequestId,
          captureId: 'cap-1',
          amount: { currency: 'USD', value: '10000' },
          at: new Date().toISOString(),
        },
        'webhook:antom',
      );
      expect(applied).toMatchObject({ kind: 'applied', to: 'captured' });
      const rows = await h.dataSource
        .getRepository(CaptureAttemptEntity)
        .find({ where: { orderId: r.order.id } });
      expect(rows).toEqual([
        expect.objectContaining({
          captureRequestId,
          status: 'succeeded',
          amount: '10000',
          captureId: 'cap-1',
        }),
      ]);
    },
  );
});
