import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN_JS, ROOT } from './paths';

export interface RunningService {
  url: string;
  pid: number;
  /** ms from spawn to the first 200 from /health. */
  readyMs: number;
  logFile: string;
  /** Peak resident set size so far (VmHWM), in MB; null where /proc is missing. */
  peakRssMb(): number | null;
  /** SIGTERM, then the exit code (null: killed by a signal). */
  stop(): Promise<number | null>;
}

/** `node dist/src/main.js` with this environment, on a free port; resolves once /health says 200. */
export async function startService(
  label: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<RunningService> {
  const port = await freePort();
  const logFile = join(tmpdir(), `oc-bench-${label}-${process.pid}.log`);
  const out = openSync(logFile, 'w');
  const started = performance.now();
  // BENCH_NODE_ARGS, e.g. --cpu-prof, to look inside a run.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, MAIN_JS], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const readyMs = await waitForHealth(url, child, started, timeoutMs, logFile);
  return {
    url,
    pid: child.pid!,
    readyMs,
    logFile,
    peakRssMb: () => peakRssMb(child.pid!),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Runs `work` against the service and stops it: a failure of `work` is the error reported;
 * otherwise the service must exit 0 (a graceful shutdown is part of a correct run). The peak
 * RSS is read before the stop.
 */
export async function runThenStop<T>(
  service: RunningService,
  what: string,
  work: () => Promise<T>,
): Promise<{ value: T; peakRssMb: number | null }> {
  let value: T;
  try {
    value = await work();
  } catch (err) {
    await service.stop();
    throw err;
  }
  const peakRssMb = service.peakRssMb();
  const code = await service.stop();
  if (code !== 0) throw new Error(`${what}: the service exited with ${code} (log: ${service.logFile})`);
  return { value, peakRssMb };
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  started: number,
  timeoutMs: number,
  logFile: string,
): Promise<number> {
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null) {
      throw new Error(`the service exited with ${child.exitCode} before it was ready:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  throw new Error(`the service was not ready within ${timeoutMs} ms:\n${tail(logFile)}`);
}

function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
