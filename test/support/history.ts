/**
 * An order's transition history in the one format every test reads and writes:
 * "EVENT:from->to" per transition, oldest first.
 */
import type { DataSource } from 'typeorm';
import { OrderTransitionEntity } from '../../src/capture/persistence/entities';

export const transitionLine = (t: { event: string; from: string; to: string }) =>
  `${t.event}:${t.from}->${t.to}`;

/** The stored transitions of an order, oldest first. */
export async function readHistory(dataSource: DataSource, orderId: string): Promise<string[]> {
  const rows = await dataSource
    .getRepository(OrderTransitionEntity)
    .find({ where: { orderId }, order: { id: 'ASC' } });
  return rows.map((r) => transitionLine({ event: r.eventType, from: r.fromState, to: r.toState }));
}
