import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CaptureEvent, CaptureEventType, CaptureStateName } from '../../machine/capture-types';

/** An event without its type (event_type holds that): what the transition keeps of it. */
export type CaptureEventPayload = {
  [T in CaptureEventType]: Omit<Extract<CaptureEvent, { type: T }>, 'type'>;
}[CaptureEventType];

/** Append-only audit: one row per applied event, never updated or deleted. */
@Entity('order_transitions')
@Index('ix_order_transitions_order', ['orderId', 'id'])
export class OrderTransitionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'order_id', type: 'varchar', length: 36 })
  orderId!: string;

  @Column({ name: 'from_state', type: 'varchar', length: 24 })
  fromState!: CaptureStateName;

  @Column({ name: 'to_state', type: 'varchar', length: 24 })
  toState!: CaptureStateName;

  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  eventType!: CaptureEventType;

  /** Who sent the event: 'webhook:antom', 'scheduler', 'admin', 'api', ... */
  @Column({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ type: 'simple-json' })
  payload!: CaptureEventPayload;

  @Column()
  at!: Date;
}
