/**
 * Where the capture tables live in a host's database. A shop that already has an `orders` table
 * gives the module a prefix (and on PostgreSQL, optionally a schema); the entities and the
 * migrations both read the names from here, so they cannot disagree. Names are per process:
 * TypeORM keeps entity metadata globally, so one process hosts one set of capture tables.
 */
import { getMetadataArgsStorage } from 'typeorm';
import {
  CaptureAttemptEntity,
  InboundNotificationEntity,
  OrderEntity,
  OrderTransitionEntity,
  OutboxEventEntity,
} from './';

export interface CaptureTableOptions {
  /** Put before every table and index name, e.g. `capture_` gives `capture_orders`. Default: none. */
  tablePrefix?: string;
  /** PostgreSQL only: the schema of the tables (created by the migration when missing). */
  schema?: string;
}

export type CaptureTable =
  'orders' | 'capture_attempts' | 'order_transitions' | 'inbound_notifications' | 'outbox_events';

const ENTITY_OF: Readonly<Record<CaptureTable, abstract new (...args: never[]) => unknown>> = {
  orders: OrderEntity,
  capture_attempts: CaptureAttemptEntity,
  order_transitions: OrderTransitionEntity,
  inbound_notifications: InboundNotificationEntity,
  outbox_events: OutboxEventEntity,
};

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

let current: Required<CaptureTableOptions> = { tablePrefix: '', schema: '' };

/** Checks the options; the messages name the option and the rule. */
function tableOptionErrors(options: CaptureTableOptions): string[] {
  const errors: string[] = [];
  const { tablePrefix = '', schema = '' } = options;
  if (tablePrefix !== '' && !IDENTIFIER.test(tablePrefix))
    errors.push(
      'tablePrefix must be lower-case letters, digits and underscores, starting with a letter or _',
    );
  if (tablePrefix.length > 20) errors.push('tablePrefix must be at most 20 characters');
  if (schema !== '' && !IDENTIFIER.test(schema))
    errors.push('schema must be lower-case letters, digits and underscores, starting with a letter or _');
  return errors;
}

/**
 * Renames the capture entities' tables. Call it before the host's DataSource is initialized
 * (CaptureModule.forRoot does, at import time of the host module).
 */
export function configureCaptureTables(options: CaptureTableOptions = {}): void {
  const errors = tableOptionErrors(options);
  if (errors.length > 0) throw new Error(`order-capture: ${errors.join('; ')}`);
  const next = { tablePrefix: options.tablePrefix ?? '', schema: options.schema ?? '' };
  if (next.tablePrefix === current.tablePrefix && next.schema === current.schema) return;
  const tables = getMetadataArgsStorage().tables;
  for (const [base, entity] of Object.entries(ENTITY_OF)) {
    const args = tables.find((t) => t.target === entity);
    if (!args) throw new Error(`order-capture: entity metadata of ${base} is missing`);
    args.name = next.tablePrefix + base;
    args.schema = next.schema === '' ? undefined : next.schema;
  }
  current = next;
}

export function captureTableOptions(): Required<CaptureTableOptions> {
  return { ...current };
}

/** The table's name as SQL and migrations need it: `schema.prefix_orders` or `orders`. */
export function captureTablePath(base: CaptureTable): string {
  const name = current.tablePrefix + base;
  return current.schema === '' ? name : `${current.schema}.${name}`;
}

/** An index or constraint name, prefixed like the tables so it cannot clash with the host's. */
export function captureIndexName(base: string): string {
  return current.tablePrefix + base;
}
