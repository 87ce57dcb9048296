import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Migrations current: the schema this code expects is the one in the database. Pending
 * migrations (MIGRATE_ON_START=false and nobody ran them) make the service not ready.
 */
@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  check(key: string, timeoutMs: number) {
    return this.indicator
      .check(key)
      .attempt(async () => {
        if (!(await this.dataSource.showMigrations())) return { pending: 0 };
        const pending = await this.pendingNames();
        throw new Error(
          `${pending.length} pending migration(s): ${pending.join(', ')}; ` +
            'run npm run migration:run or start with MIGRATE_ON_START=true',
        );
      })
      .withTimeout(timeoutMs);
  }

  private async pendingNames(): Promise<string[]> {
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    const rows: { name: string }[] = await this.dataSource.query(`SELECT name FROM ${table}`);
    const done = new Set(rows.map((r) => r.name));
    return this.dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !done.has(n));
  }
}
