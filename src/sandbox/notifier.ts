/**
 * Delivers the simulated acquirers' notifications to the service the way the real ones do:
 * signed, repeated on the documented schedule until the fixed acknowledgement comes back with
 * HTTP 200, then never again. The schedule can be compressed (timeScale) so a test sees a day
 * of retries in milliseconds. Deliveries run a few at a time, so a thousand captures finishing
 * together do not open a thousand connections at once.
 */
import type { Acquirer } from '../capture/machine/capture-types';
import type { DeliveryRecord } from './sandbox-types';

/** Milliseconds between successive tries (the first is the initial send). */
export const DOCUMENTED_RETRY_SCHEDULES: Record<Acquirer, readonly number[]> = {
  // Antom's capture guide: 8 tries in ~24 h (docs/acquirers.md).
  antom: [0, 120_000, 600_000, 600_000, 3_600_000, 7_200_000, 21_600_000, 54_000_000],
  // PayerMax: 6 tries (documented for payment notifications; assumed the same for capture).
  payermax: [0, 30_000, 300_000, 600_000, 3_600_000, 43_200_000],
};

/** One notification to deliver: `build` is called per try (fresh request-time and signature). */
export interface Delivery {
  acquirer: Acquirer;
  captureRequestId: string;
  paymentId: string;
  kind: DeliveryRecord['kind'];
  status: DeliveryRecord['status'];
  copy: number;
  delayMs: number;
  build(): { path: string; headers: Record<string, string>; body: string };
  /** Sent once this one is settled (acknowledged or given up): for deliberately late arrivals. */
  then?: Delivery;
  acknowledged(status: number, body: string): boolean;
}

export interface NotifierOptions {
  timeScale: number;
  schedules: Record<Acquirer, readonly number[]>;
  timeoutMs: number;
  concurrency?: number;
  maxLog?: number;
  warn(message: string): void;
}

export class Notifier {
  private targets: string[] = [];
  private nextTarget = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiting: Array<() => void> = [];
  /** Deliveries scheduled before any target was known. */
  private readonly parked: Delivery[] = [];
  private running = 0;
  private closed = false;
  readonly log: DeliveryRecord[] = [];

  constructor(private readonly options: NotifierOptions) {}

  setTargets(baseUrls: string[]): void {
    this.targets = baseUrls.map((u) => u.replace(/\/+$/, ''));
    if (this.targets.length === 0) return;
    for (const d of this.parked.splice(0)) this.send(d);
  }

  send(delivery: Delivery): void {
    if (this.closed) return;
    if (this.targets.length === 0) {
      this.parked.push(delivery);
      return;
    }
    this.later(delivery.delayMs, () => void this.attempt(delivery, 1));
  }

  /** Deliveries still to come (scheduled, parked or in flight): 0 when everything has settled. */
  pending(): number {
    return this.timers.size + this.parked.length + this.running + this.waiting.length;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.parked.length = 0;
    // Waiting tries are simply dropped: the sandbox is going away and nothing else awaits them.
    this.waiting.length = 0;
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(d: Delivery, attempt: number): Promise<void> {
    await this.acquire();
    if (this.closed) return this.release();
    const target = this.targets[this.nextTarget++ % this.targets.length];
    const { path, headers, body } = d.build();
    const url = target + path;
    const record: DeliveryRecord = {
      acquirer: d.acquirer,
      captureRequestId: d.captureRequestId,
      paymentId: d.paymentId,
      copy: d.copy,
      attempt,
      kind: d.kind,
      status: d.status,
      at: new Date().toISOString(),
      url,
      acknowledged: false,
    };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      record.httpStatus = response.status;
      record.acknowledged = d.acknowledged(response.status, await response.text());
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.release();
    }
    this.remember(record);
    if (this.closed) return;
    const schedule = this.options.schedules[d.acquirer];
    const delay = schedule[attempt];
    if (record.acknowledged || delay === undefined) {
      if (!record.acknowledged) {
        this.options.warn(`${d.acquirer} notification ${d.captureRequestId}: gave up after ${attempt} tries`);
      }
      if (d.then) this.send(d.then);
      return;
    }
    this.later(delay / this.options.timeScale, () => void this.attempt(d, attempt + 1));
  }

  private acquire(): Promise<void> {
    if (this.running < (this.options.concurrency ?? 16)) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the next waiter, so no newcomer can slip in between. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private remember(record: DeliveryRecord): void {
    this.log.push(record);
    const max = this.options.maxLog ?? 20_000;
    if (this.log.length > max) this.log.splice(0, this.log.length - max);
  }
}
