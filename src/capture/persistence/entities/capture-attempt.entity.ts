import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AttemptStatus } from '../../machine/capture-types';
import { storedText } from './stored-text';

/**
 * One row per captureRequestId, committed before the acquirer is called: a crash after the
 * commit leaves a pending row that reconciliation resolves, never a second capture.
 */
@Entity('capture_attempts')
@Index('ix_capture_attempts_order', ['orderId'])
@Index('ix_capture_attempts_status_next_inquiry', ['status', 'nextInquiryAt'])
export class CaptureAttemptEntity {
  @PrimaryColumn({ name: 'capture_request_id', type: 'varchar', length: 64 })
  captureRequestId!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 36 })
  orderId!: string;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar' })
  amount!: string;

  @Column({ name: 'is_last', type: 'boolean' })
  isLast!: boolean;

  @Column({ type: 'varchar', length: 16 })
  status!: AttemptStatus;

  /** 'merchant' when we sent it; 'acquirer' when we learnt of it from the acquirer. */
  @Column({ type: 'varchar', length: 16 })
  origin!: 'merchant' | 'acquirer';

  @Column({ name: 'capture_id', type: 'varchar', length: 64, nullable: true, transformer: storedText(64) })
  captureId!: string | null;

  @Column({ name: 'result_code', type: 'varchar', length: 64, nullable: true, transformer: storedText(64) })
  resultCode!: string | null;

  @Column({
    name: 'result_message',
    type: 'varchar',
    length: 256,
    nullable: true,
    transformer: storedText(256),
  })
  resultMessage!: string | null;

  /** Set once the acquirer was called for it (null: committed but not sent yet). */
  @Column({ name: 'called_at', type: Date, nullable: true })
  calledAt!: Date | null;

  @Column({ name: 'inquiry_count', type: 'integer', default: 0 })
  inquiryCount!: number;

  @Column({ name: 'next_inquiry_at', type: Date, nullable: true })
  nextInquiryAt!: Date | null;

  @Column({ name: 'resolved_at', type: Date, nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
