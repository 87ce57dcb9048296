import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { StoredSnapshot } from '../../machine/capture-engine';
import type { Acquirer, CaptureMode, CaptureStateName } from '../../machine/capture-types';
import { storedText } from './stored-text';

/**
 * One row per authorized payment. The machine's snapshot is the truth; the flat columns beside
 * it (state, amounts, review, deadline) are copies kept for queries, indexes and humans.
 * Amounts are digit strings of minor units (bigint on PostgreSQL, exact text on SQLite).
 */
@Entity('orders')
@Index('uq_orders_acquirer_payment', ['acquirer', 'paymentId'], { unique: true })
@Index('ix_orders_state_next_check', ['state', 'nextCheckAt'])
@Index('ix_orders_capture_deadline', ['captureDeadline'])
export class OrderEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'merchant_order_id', type: 'varchar', length: 64 })
  merchantOrderId!: string;

  @Column({ type: 'varchar', length: 16 })
  acquirer!: Acquirer;

  @Column({ name: 'payment_id', type: 'varchar', length: 64, nullable: true })
  paymentId!: string | null;

  @Column({ name: 'payment_request_id', type: 'varchar', length: 64, nullable: true })
  paymentRequestId!: string | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ name: 'authorized_amount', type: 'varchar' })
  authorizedAmount!: string;

  @Column({ name: 'captured_amount', type: 'varchar' })
  capturedAmount!: string;

  @Column({ name: 'capture_mode', type: 'varchar', length: 10 })
  captureMode!: CaptureMode;

  @Column({ name: 'multi_capture', type: 'boolean' })
  multiCapture!: boolean;

  @Column({ name: 'full_capture_only', type: 'boolean' })
  fullCaptureOnly!: boolean;

  @Column({ type: 'varchar', length: 24 })
  state!: CaptureStateName;

  @Column({ type: 'simple-json' })
  snapshot!: StoredSnapshot;

  @Column({ name: 'machine_version', type: 'integer' })
  machineVersion!: number;

  /** Incremented on every write; a cheap check that nobody wrote under our lock. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'authorized_at' })
  authorizedAt!: Date;

  @Column({ name: 'capture_deadline' })
  captureDeadline!: Date;

  @Column({ name: 'capture_at', type: Date, nullable: true })
  captureAt!: Date | null;

  /** When the scheduler should look at this order next (due capture, inquiry, deadline). */
  @Column({ name: 'next_check_at', type: Date, nullable: true })
  nextCheckAt!: Date | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_until', type: Date, nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'review_reason', type: 'text', nullable: true, transformer: storedText() })
  reviewReason!: string | null;

  @Column({ name: 'review_since', type: Date, nullable: true })
  reviewSince!: Date | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
