/**
 * The service as operators run it: `npm run build`, then `node dist/src/main.js` as a child
 * process, its JSON log lines read from stdout. The build runs once for all process suites (a
 * lock directory serializes concurrent workers) and is skipped when dist is newer than src.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
export const MAIN_JS = join(ROOT, 'dist/src/main.js');
const run = promisify(execFile);

export async function buildOnce(): Promise<void> {
  const lock = join(tmpdir(), 'order-capture-test-build.lock');
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`another build holds ${lock}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (newestMtime(join(ROOT, 'src')) < mtime(MAIN_JS)) return;
    await run('npm', ['run', 'build'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).catch(
      (err: { stdout?: string }) => {
        throw new Error(
          `npm run build failed:\n${err.stdout ?? (err instanceof Error ? err.message : 'no output')}`,
        );
      },
    );
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : mtime(path));
  }
  return newest;
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Parsed JSON lines of stdout so far. */
  lines: Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null: killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line matching, or rejects after the timeout. */
  waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

export function spawnService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const lines: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        lines.push({ text: part });
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine: async (match, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(
            `no such log line (exit ${child.exitCode}):\n${out.slice(-3000)}\n${err.slice(-3000)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** The base URL from the "listening on http://host:port" line. */
export async function listeningUrl(service: ServiceProcess): Promise<string> {
  const line = await service.waitForLine(
    (l) => typeof l.msg === 'string' && l.msg.startsWith('listening on '),
  );
  return (line.msg as string).slice('listening on '.length);
}
