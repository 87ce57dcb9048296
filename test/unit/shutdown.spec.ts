/**
 * The signal handling of main.ts: one close per process, exit 0 once it is done, exit 1 when it
 * fails or outlives SHUTDOWN_TIMEOUT_MS. Driven with SIGUSR2 so the test runner is not disturbed.
 */
import type { INestApplication } from '@nestjs/common';
import { createRootLogger } from '../../src/observability/logger';
import { installGracefulShutdown } from '../../src/lifecycle/shutdown';

const SIGNAL: NodeJS.Signals = 'SIGUSR2';

function setup(close: () => Promise<void>, timeoutMs = 5000) {
  const lines: Record<string, unknown>[] = [];
  const logger = createRootLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  let closes = 0;
  const app = { close: () => ((closes += 1), close()) } as unknown as INestApplication;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const uninstall = installGracefulShutdown(app, logger, { timeoutMs, signals: [SIGNAL], exit: resolveExit });
  return { lines, exited, uninstall, closes: () => closes };
}

describe('graceful shutdown', () => {
  it('closes the app once, however many signals come, then exits 0', async () => {
    let finish!: () => void;
    const s = setup(() => new Promise<void>((resolve) => (finish = resolve)));
    try {
      process.emit(SIGNAL, SIGNAL);
      process.emit(SIGNAL, SIGNAL);
      expect(s.closes()).toBe(1);
      finish();
      expect(await s.exited).toBe(0);
      expect(s.lines.map((l) => l.msg)).toEqual([
        'shutting down: no new work; finishing in-flight requests, transactions and calls',
        'already shutting down; waiting for in-flight work',
        'shut down cleanly',
      ]);
    } finally {
      s.uninstall();
    }
  });

  it('exits 1 when closing fails', async () => {
    const s = setup(() => Promise.reject(new Error('database gone')));
    try {
      process.emit(SIGNAL, SIGNAL);
      expect(await s.exited).toBe(1);
      expect(s.lines.at(-1)).toMatchObject({ level: 'error', msg: 'shutdown failed' });
    } finally {
      s.uninstall();
    }
  });

  it('exits 1 when in-flight work outlives the timeout', async () => {
    const s = setup(() => new Promise<void>(() => undefined), 50);
    try {
      process.emit(SIGNAL, SIGNAL);
      expect(await s.exited).toBe(1);
      expect(s.lines.at(-1)).toMatchObject({ level: 'error', timeoutMs: 50 });
    } finally {
      s.uninstall();
    }
  });
});
