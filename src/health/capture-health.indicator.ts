import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import { CAPTURE_DATA_SOURCE } from '../capture/persistence/data-source';
import { CaptureScheduler } from '../scheduler/capture-scheduler';
import { pendingMessage, pendingMigrations } from './pending-migrations';

const TIMEOUT_MS = 2000;

/**
 * The capture module's readiness for a host's own @nestjs/terminus health endpoint: its database
 * connection answers, its migrations have run, and its jobs run where they are meant to.
 *
 *     this.health.check([...this.capture.checks()])
 */
@Injectable()
export class CaptureHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(CAPTURE_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    private readonly scheduler: CaptureScheduler,
  ) {}

  /** All three, keyed `orderCaptureDatabase`, `orderCaptureMigrations`, `orderCaptureScheduler`. */
  checks(timeoutMs = TIMEOUT_MS): HealthIndicatorFunction[] {
    return [
      () => this.database('orderCaptureDatabase', timeoutMs),
      () => this.migrations('orderCaptureMigrations', timeoutMs),
      () => this.jobs('orderCaptureScheduler'),
    ];
  }

  database(key: string, timeoutMs = TIMEOUT_MS) {
    return this.indicator
      .check(key)
      .attempt(async () => {
        await this.dataSource.query('SELECT 1');
        return {};
      })
      .withTimeout(timeoutMs);
  }

  migrations(key: string, timeoutMs = TIMEOUT_MS) {
    return this.indicator
      .check(key)
      .attempt(async () => {
        const pending = await pendingMigrations(this.dataSource);
        if (pending.length > 0) throw new Error(pendingMessage(pending));
        return { pending: 0 };
      })
      .withTimeout(timeoutMs);
  }

  jobs(key: string) {
    const session = this.indicator.check(key);
    if (!this.options.schedulerEnabled) return session.up({ enabled: false });
    if (this.scheduler.isRunning()) return session.up({ enabled: true });
    return session.down({ enabled: true, message: 'the capture jobs are not running' });
  }
}
