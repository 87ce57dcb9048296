import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Acquirer } from '../../machine/capture-types';
import { storedText } from './stored-text';

export type NotificationOutcome = 'applied' | 'duplicate' | 'orphan' | 'rejected' | 'review' | 'ignored';

/**
 * Every verified notification, raw body kept, stored before it is acknowledged. The unique
 * dedupe key makes a retried delivery collide here instead of being applied twice.
 */
@Entity('inbound_notifications')
@Index('uq_inbound_notifications_dedupe', ['dedupeKey'], { unique: true })
@Index('ix_inbound_notifications_payment', ['acquirer', 'paymentId', 'outcome'])
@Index('ix_inbound_notifications_order', ['orderId'])
export class InboundNotificationEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  acquirer!: Acquirer;

  @Column({ name: 'notify_type', type: 'varchar', length: 32, nullable: true, transformer: storedText(32) })
  notifyType!: string | null;

  /** Null for a notification that failed validation: nothing to deduplicate it against. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 255, nullable: true })
  dedupeKey!: string | null;

  @Column({ name: 'payment_id', type: 'varchar', length: 64, nullable: true, transformer: storedText(64) })
  paymentId!: string | null;

  @Column({
    name: 'capture_request_id',
    type: 'varchar',
    length: 64,
    nullable: true,
    transformer: storedText(64),
  })
  captureRequestId!: string | null;

  @Column({ name: 'order_id', type: 'varchar', length: 36, nullable: true })
  orderId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: NotificationOutcome;

  @Column({ type: 'text', nullable: true, transformer: storedText() })
  detail!: string | null;

  @Column({ name: 'raw_body', type: 'text' })
  rawBody!: string;

  @Column({ name: 'received_at' })
  receivedAt!: Date;

  @Column({ name: 'processed_at', type: Date, nullable: true })
  processedAt!: Date | null;
}
