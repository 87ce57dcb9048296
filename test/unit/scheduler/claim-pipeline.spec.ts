/**
 * The scheduler's claim pipeline on its own: a slow order holds one slot, never the next claim;
 * no more orders at work than the concurrency; claims sized to the free slots; at shutdown
 * nothing more is claimed and what is at work finishes.
 */
import { runClaimPipeline, type PipelineOptions } from '../../../src/scheduler/claim-pipeline';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A queue of due ids, claimed front first; records every limit asked for. */
function dueRows(count: number) {
  const rows = Array.from({ length: count }, (_, i) => `o${i}`);
  const limits: number[] = [];
  const claim = async (limit: number) => {
    limits.push(limit);
    await new Promise((r) => setImmediate(r));
    return rows.splice(0, limit);
  };
  return { rows, limits, claim };
}

const options = (over: Partial<PipelineOptions> = {}): PipelineOptions => ({
  batchSize: 100,
  concurrency: 4,
  stopped: () => false,
  ...over,
});

describe('claim pipeline', () => {
  it('works every due row once while one slow order still holds its slot', async () => {
    const due = dueRows(30);
    const slow = deferred();
    const done: string[] = [];
    const run = runClaimPipeline(
      due.claim,
      async (id) => {
        if (id === 'o0') await slow.promise;
        else await new Promise((r) => setTimeout(r, 1));
        done.push(id);
      },
      options(),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(done).toHaveLength(29);
    expect(done).not.toContain('o0');
    slow.resolve();
    expect(await run).toBe(30);
    expect(new Set(done).size).toBe(30);
  });

  it('never has more orders at work than the concurrency, and claims no more than the free slots', async () => {
    const due = dueRows(50);
    let atWork = 0;
    let most = 0;
    const claimed = await runClaimPipeline(
      async (limit) => {
        expect(limit).toBeLessThanOrEqual(5 - atWork);
        return due.claim(limit);
      },
      async () => {
        atWork += 1;
        most = Math.max(most, atWork);
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        atWork -= 1;
      },
      options({ concurrency: 5, batchSize: 3 }),
    );
    expect(claimed).toBe(50);
    expect(most).toBe(5);
    expect(Math.max(...due.limits)).toBe(3);
    // The claim that came back short ended the run.
    expect(due.rows).toHaveLength(0);
  });

  it('once stopped, claims nothing more and resolves only after the orders at work are done', async () => {
    const due = dueRows(20);
    let stopped = false;
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const finished: string[] = [];
    const batches: number[] = [];
    const run = runClaimPipeline(
      due.claim,
      async (id) => {
        const gate = deferred();
        gates.set(id, gate);
        await gate.promise;
        finished.push(id);
      },
      options({ stopped: () => stopped }),
      (b) => batches.push(b.size),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(gates.size).toBe(4);
    stopped = true;
    let settled = false;
    void run.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    for (const gate of gates.values()) gate.resolve();
    expect(await run).toBe(4);
    expect(finished).toHaveLength(4);
    expect(due.limits).toEqual([4]);
    expect(batches).toEqual([4]);
  });
});
