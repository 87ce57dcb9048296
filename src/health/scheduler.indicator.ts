import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import { CaptureScheduler } from '../scheduler';

/**
 * Scheduler running: when this instance is meant to run the jobs (SCHEDULER_ENABLED), their
 * interval must be registered; an instance with the jobs turned off is ready without them.
 */
@Injectable()
export class SchedulerHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  check(key: string) {
    const session = this.indicator.check(key);
    const options = this.find<CaptureModuleOptions>(CAPTURE_OPTIONS);
    if (!options?.schedulerEnabled) return session.up({ enabled: false });
    const running = this.find(CaptureScheduler)?.isRunning() ?? false;
    if (running) return session.up({ enabled: true, intervalMs: options.schedulerIntervalMs });
    return session.down({
      enabled: true,
      message:
        'the capture jobs are not running (is ScheduleModule.forRoot() imported, or is the app shutting down?)',
    });
  }

  private find<T>(token: symbol | (abstract new (...args: never[]) => T)): T | undefined {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}
