import type { DataSource } from 'typeorm';

/** The migrations this code ships that the database has not run (an empty list: current). */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  if (!(await dataSource.showMigrations())) return [];
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const rows: { name: string }[] = await dataSource.query(`SELECT name FROM ${table}`);
  const done = new Set(rows.map((r) => r.name));
  return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !done.has(n));
}

export function pendingMessage(pending: string[]): string {
  return (
    `${pending.length} pending migration(s): ${pending.join(', ')}; ` +
    'run npm run migration:run or start with MIGRATE_ON_START=true'
  );
}
