import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';
import { captureIndexName, captureTableOptions, captureTablePath } from '../entities/table-names';

/**
 * The first schema, written once for both databases. Amounts are bigint on PostgreSQL and
 * exact text on SQLite (whose INTEGER would come back as a lossy JS number past 2^53); times
 * are timestamptz on PostgreSQL and TypeORM's UTC datetime text on SQLite.
 */
export class CreateCaptureSchema1763900000000 implements MigrationInterface {
  name = 'CreateCaptureSchema1763900000000';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.driver.options.type === 'postgres';
    const { schema } = captureTableOptions();
    if (pg && schema !== '') await qr.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const amount = pg ? 'bigint' : 'text';
    const time = pg ? 'timestamptz' : 'datetime';
    const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    });
    const at = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: time,
      isNullable: nullable,
    });
    const serial: TableColumnOptions = {
      name: 'id',
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    };

    await qr.createTable(
      new Table({
        name: captureTablePath('orders'),
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('merchant_order_id', 64),
          str('acquirer', 16),
          str('payment_id', 64, true),
          str('payment_request_id', 64, true),
          str('currency', 3),
          { name: 'authorized_amount', type: amount },
          { name: 'captured_amount', type: amount },
          str('capture_mode', 10),
          { name: 'multi_capture', type: 'boolean' },
          { name: 'full_capture_only', type: 'boolean' },
          str('state', 24),
          { name: 'snapshot', type: 'text' },
          { name: 'machine_version', type: 'integer' },
          { name: 'version', type: 'integer' },
          at('authorized_at'),
          at('capture_deadline'),
          at('capture_at', true),
          at('next_check_at', true),
          str('lease_owner', 64, true),
          at('lease_until', true),
          { name: 'review_reason', type: 'text', isNullable: true },
          at('review_since', true),
          at('created_at'),
          at('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: captureIndexName('uq_orders_acquirer_payment'),
            columnNames: ['acquirer', 'payment_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: captureIndexName('ix_orders_state_next_check'),
            columnNames: ['state', 'next_check_at'],
          }),
          new TableIndex({
            name: captureIndexName('ix_orders_capture_deadline'),
            columnNames: ['capture_deadline'],
          }),
          new TableIndex({
            name: captureIndexName('ix_orders_merchant_order'),
            columnNames: ['merchant_order_id'],
          }),
          new TableIndex({
            name: captureIndexName('ix_orders_payment_request'),
            columnNames: ['acquirer', 'payment_request_id'],
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: captureTablePath('capture_attempts'),
        columns: [
          { ...str('capture_request_id', 64), isPrimary: true },
          str('order_id', 36),
          str('currency', 3),
          { name: 'amount', type: amount },
          { name: 'is_last', type: 'boolean' },
          str('status', 16),
          str('origin', 16),
          str('capture_id', 64, true),
          str('result_code', 64, true),
          str('result_message', 256, true),
          at('called_at', true),
          { name: 'inquiry_count', type: 'integer', default: 0 },
          at('next_inquiry_at', true),
          at('resolved_at', true),
          at('created_at'),
          at('updated_at'),
        ],
        foreignKeys: [
          {
            columnNames: ['order_id'],
            referencedTableName: captureTablePath('orders'),
            referencedColumnNames: ['id'],
          },
        ],
        indices: [
          new TableIndex({ name: captureIndexName('ix_capture_attempts_order'), columnNames: ['order_id'] }),
          new TableIndex({
            name: captureIndexName('ix_capture_attempts_status_next_inquiry'),
            columnNames: ['status', 'next_inquiry_at'],
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: captureTablePath('order_transitions'),
        columns: [
          serial,
          str('order_id', 36),
          str('from_state', 24),
          str('to_state', 24),
          str('event_type', 32),
          str('source', 64),
          { name: 'payload', type: 'text' },
          at('at'),
        ],
        foreignKeys: [
          {
            columnNames: ['order_id'],
            referencedTableName: captureTablePath('orders'),
            referencedColumnNames: ['id'],
          },
        ],
        indices: [
          new TableIndex({
            name: captureIndexName('ix_order_transitions_order'),
            columnNames: ['order_id', 'id'],
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: captureTablePath('inbound_notifications'),
        columns: [
          serial,
          str('acquirer', 16),
          str('notify_type', 32, true),
          str('dedupe_key', 255, true),
          str('payment_id', 64, true),
          str('capture_request_id', 64, true),
          str('order_id', 36, true),
          str('outcome', 16),
          { name: 'detail', type: 'text', isNullable: true },
          { name: 'raw_body', type: 'text' },
          at('received_at'),
          at('processed_at', true),
        ],
        indices: [
          new TableIndex({
            name: captureIndexName('uq_inbound_notifications_dedupe'),
            columnNames: ['dedupe_key'],
            isUnique: true,
          }),
          new TableIndex({
            name: captureIndexName('ix_inbound_notifications_payment'),
            columnNames: ['acquirer', 'payment_id', 'outcome'],
          }),
          new TableIndex({
            name: captureIndexName('ix_inbound_notifications_order'),
            columnNames: ['order_id'],
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: captureTablePath('outbox_events'),
        columns: [
          serial,
          str('event_id', 36),
          str('order_id', 36),
          str('type', 64),
          { name: 'payload', type: 'text' },
          at('created_at'),
          at('delivered_at', true),
          { name: 'attempts', type: 'integer', default: 0 },
          at('next_attempt_at', true),
          { name: 'last_error', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: captureIndexName('uq_outbox_events_event_id'),
            columnNames: ['event_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: captureIndexName('ix_outbox_events_pending'),
            columnNames: ['delivered_at', 'next_attempt_at'],
          }),
          new TableIndex({
            name: captureIndexName('ix_outbox_events_order'),
            columnNames: ['order_id', 'id'],
          }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of [
      'outbox_events',
      'inbound_notifications',
      'order_transitions',
      'capture_attempts',
      'orders',
    ] as const) {
      await qr.dropTable(captureTablePath(table));
    }
  }
}
