import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { pendingMessage, pendingMigrations } from './pending-migrations';

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
        const pending = await pendingMigrations(this.dataSource);
        if (pending.length === 0) return { pending: 0 };
        throw new Error(pendingMessage(pending));
      })
      .withTimeout(timeoutMs);
  }
}
