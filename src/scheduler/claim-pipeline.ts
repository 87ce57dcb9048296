/**
 * How a job works through its due rows: at most `concurrency` orders at work at once, more
 * claimed as slots free up, so one slow acquirer call holds its own slot and never the next
 * claim. A claim takes no more rows than there are free slots (and at most `batchSize`): a
 * claimed row starts at once and never waits for a slot while its lease runs. A claim that
 * comes back short means nothing more is due.
 */
export interface PipelineOptions {
  batchSize: number;
  concurrency: number;
  /** True once no new claims may be made (shutdown); what is at work still finishes. */
  stopped: () => boolean;
}

export interface ClaimedBatch {
  size: number;
  /** From the claim to the last of its orders done. */
  seconds: number;
}

/**
 * Claims with `claim(limit)` and runs `work` for every row claimed (it must not reject); resolves
 * with the number of rows claimed once every one of them is done. `onBatch` hears of each claim
 * (an empty one included) once its orders are done.
 */
export async function runClaimPipeline<T>(
  claim: (limit: number) => Promise<T[]>,
  work: (row: T) => Promise<void>,
  options: PipelineOptions,
  onBatch?: (batch: ClaimedBatch) => void,
): Promise<number> {
  const concurrency = Math.max(1, options.concurrency);
  // Claiming one row per freed slot would cost a transaction per order; a few slots at a time
  // keep claims batched while the pipeline stays nearly full.
  const minClaim = Math.max(1, Math.floor(Math.min(options.batchSize, concurrency) / 4));
  const active = new Set<Promise<void>>();
  const batches = new Set<Promise<void>>();
  let total = 0;
  for (;;) {
    while (active.size > 0 && concurrency - active.size < minClaim) await Promise.race(active);
    if (options.stopped()) break;
    const limit = Math.min(options.batchSize, concurrency - active.size);
    const claimedAt = performance.now();
    const rows = await claim(limit);
    total += rows.length;
    const tasks = rows.map((row) => {
      const task: Promise<void> = work(row).finally(() => active.delete(task));
      active.add(task);
      return task;
    });
    const batch: Promise<void> = Promise.all(tasks).then(() => {
      batches.delete(batch);
      onBatch?.({ size: rows.length, seconds: (performance.now() - claimedAt) / 1000 });
    });
    batches.add(batch);
    if (rows.length < limit) break;
  }
  await Promise.all([...batches]);
  return total;
}
