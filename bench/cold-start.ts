/**
 * Cold start: from spawning `node dist/src/main.js` to the first 200 from /health, on SQLite.
 * "fresh" starts on an empty file (the migrations run at start-up), "warm" restarts on it.
 */
import { freshDatabase } from './lib/databases';
import { runThenStop, startService } from './lib/service';

export interface ColdStartResult {
  runs: number;
  freshMs: number[];
  warmMs: number[];
}

export async function benchColdStart(runs: number): Promise<ColdStartResult> {
  const result: ColdStartResult = { runs, freshMs: [], warmMs: [] };
  for (let i = 0; i < runs; i += 1) {
    const db = await freshDatabase('sqlite', 'cold');
    try {
      for (const list of [result.freshMs, result.warmMs]) {
        const service = await startService('cold', {
          DATABASE_URL: db.url,
          ADMIN_TOKEN: 'bench-admin-token-0123456789',
        });
        list.push(service.readyMs);
        await runThenStop(service, 'cold start', async () => undefined);
      }
    } finally {
      await db.drop();
    }
  }
  return result;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
