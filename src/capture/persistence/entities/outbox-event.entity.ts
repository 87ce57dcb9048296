import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DomainEvent } from '../../events/domain-event';

/**
 * Domain events written in the same transaction as the transition that caused them, delivered
 * after commit. The increasing id orders delivery per order; eventId is the stable id consumers
 * deduplicate on.
 */
@Entity('outbox_events')
@Index('uq_outbox_events_event_id', ['eventId'], { unique: true })
@Index('ix_outbox_events_pending', ['deliveredAt', 'nextAttemptAt'])
@Index('ix_outbox_events_order', ['orderId', 'id'])
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 36 })
  orderId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ type: 'simple-json' })
  payload!: DomainEvent;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: Date, nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: Date, nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
