import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import {
  CaptureAttemptEntity,
  InboundNotificationEntity,
  OrderEntity,
  OrderTransitionEntity,
  OutboxEventEntity,
} from './entities';

/**
 * Positional parameters in the database's own syntax ($1 on PostgreSQL, ? on SQLite), values
 * already converted for the driver.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly postgres: boolean) {}

  add(value: unknown): string {
    this.values.push(value === undefined ? null : value);
    return this.postgres ? `$${this.values.length}` : '?';
  }
}

/**
 * One entity's table for hand-written SQL on the hot paths (the entity manager and the query
 * builder cost more CPU than the database does there). Values go in and come out through the
 * driver's own conversions, the ones the entity manager applies: column transformers
 * (storedText), simple-json, booleans and dates on SQLite. Names come from the entity metadata,
 * so a host's table prefix or schema applies here too.
 */
export class SqlTable<E extends ObjectLiteral> {
  readonly name: string;
  private readonly columns = new Map<string, ColumnMetadata>();
  private readonly quoted = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<E>,
  ) {
    const metadata = dataSource.getMetadata(entity);
    this.name = metadata.tablePath
      .split('.')
      .map((part) => dataSource.driver.escape(part))
      .join('.');
    for (const column of metadata.columns) {
      this.columns.set(column.propertyName, column);
      this.quoted.set(column.propertyName, dataSource.driver.escape(column.databaseName));
    }
  }

  /** The quoted column name of a property. */
  col(property: keyof E & string): string {
    return this.quoted.get(property) ?? this.dataSource.driver.escape(this.column(property).databaseName);
  }

  /** `a, b, c` for a SELECT or RETURNING of these properties (every column when omitted). */
  list(properties?: (keyof E & string)[]): string {
    const names = properties ?? ([...this.columns.keys()] as (keyof E & string)[]);
    return names.map((p) => this.col(p)).join(', ');
  }

  /** A placeholder holding `value` as the column of `property` stores it. */
  param(params: SqlParams, property: keyof E & string, value: unknown): string {
    return params.add(this.dataSource.driver.preparePersistentValue(value, this.column(property)));
  }

  /** `"a" = $1, "b" = $2` for an UPDATE's SET. */
  assignments(params: SqlParams, values: Partial<E>): string {
    return Object.entries(values)
      .map(([p, v]) => `${this.col(p)} = ${this.param(params, p, v)}`)
      .join(', ');
  }

  /** `INSERT INTO t (cols) VALUES (...), (...)`; every row must set the same properties. */
  insert(params: SqlParams, rows: Partial<E>[]): string {
    const properties = Object.keys(rows[0] ?? {});
    const values = rows.map((row) => `(${properties.map((p) => this.param(params, p, row[p])).join(', ')})`);
    return `INSERT INTO ${this.name} (${properties.map((p) => this.col(p)).join(', ')}) VALUES ${values.join(', ')}`;
  }

  /** An entity from a raw row holding its columns (by database name). */
  hydrate(raw: Record<string, unknown>, into: E): E {
    const target = into as Record<string, unknown>;
    for (const [property, column] of this.columns) {
      if (column.databaseName in raw) target[property] = this.read(property, raw[column.databaseName]);
    }
    return into;
  }

  /** One column's raw value as the entity holds it. */
  read(property: keyof E & string, raw: unknown): unknown {
    return this.dataSource.driver.prepareHydratedValue(raw, this.column(property));
  }

  private column(property: string): ColumnMetadata {
    const column = this.columns.get(property);
    if (!column) throw new Error(`no column for property ${property}`);
    return column;
  }
}

/** The capture tables for hand-written SQL, read from the initialized DataSource's metadata. */
export interface CaptureTables {
  orders: SqlTable<OrderEntity>;
  attempts: SqlTable<CaptureAttemptEntity>;
  transitions: SqlTable<OrderTransitionEntity>;
  notifications: SqlTable<InboundNotificationEntity>;
  outbox: SqlTable<OutboxEventEntity>;
}

export function captureTables(dataSource: DataSource): CaptureTables {
  return {
    orders: new SqlTable(dataSource, OrderEntity),
    attempts: new SqlTable(dataSource, CaptureAttemptEntity),
    transitions: new SqlTable(dataSource, OrderTransitionEntity),
    notifications: new SqlTable(dataSource, InboundNotificationEntity),
    outbox: new SqlTable(dataSource, OutboxEventEntity),
  };
}
