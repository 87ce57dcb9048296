/** Valid inputs for tests: a registration with its own ids, and timestamps. */
import type { RegisterOrderInput } from '../../src/index';

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
