import { Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CaptureExecutor } from '../capture/execution/capture-executor';
import { OutboxDispatcher } from '../outbox/outbox-dispatcher';

/**
 * The last step before the database closes. Nest's close runs: jobs stop (onModuleDestroy), the
 * HTTP server stops and waits for in-flight requests, then onApplicationShutdown, global modules
 * (TypeORM's connection) last. A request that finished during that wait may have started an
 * acquirer call after commit (an operator's 202 capture): it is awaited here, so its answer is
 * recorded before the connection goes, and the outbox deliveries settle too.
 *
 * Deliberately a plain (non-global) module imported by the app: its hooks run before the
 * global TypeORM module's.
 */
@Injectable()
class ShutdownDrain implements OnApplicationShutdown {
  private readonly log = new Logger('Shutdown');

  constructor(private readonly moduleRef: ModuleRef) {}

  async onApplicationShutdown(): Promise<void> {
    const executor = this.find(CaptureExecutor);
    const outbox = this.find(OutboxDispatcher);
    await executor?.whenIdle();
    await outbox?.idle();
    this.log.log('in-flight acquirer calls and deliveries finished; closing the database');
  }

  private find<T>(token: abstract new (...args: never[]) => T): T | undefined {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}

@Module({ providers: [ShutdownDrain] })
export class ShutdownDrainModule {}
