/** Reading Prometheus exposition text in tests: one sample by name and labels. */
import { MetricsService } from '../../src/observability/metrics.service';
import type { TestApp } from '../support/http-app';

export type Samples = Map<string, number>;

/** The bearer header /metrics wants: the app's OPS_TOKEN, else its ADMIN_TOKEN. */
export function opsAuth(t: TestApp): Record<string, string> {
  const { opsToken, adminToken } = t.config.capture;
  return { authorization: `Bearer ${opsToken ?? adminToken}` };
}

export async function scrape(t: TestApp): Promise<{ text: string; samples: Samples }> {
  const res = await t.http('/metrics', { headers: opsAuth(t) });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const text = await res.text();
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{.*\})? (\S+)$/.exec(line);
    if (m) samples.set(key(m[1]!, parseLabels(m[2] ?? '')), Number(m[3]));
  }
  return { text, samples };
}

/** The sample's value, 0 when the series does not exist (yet). */
export function sample(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  return samples.get(key(name, labels)) ?? 0;
}

/** The sum over every series of `name` that has these labels (and any others). */
export function total(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  let sum = 0;
  for (const [k, value] of samples) {
    const m = /^([^{]+)\{(.*)\}$/.exec(k);
    if (!m || m[1] !== name) continue;
    const have = new Set(m[2] ? m[2].split(',') : []);
    if (wanted.every((w) => have.has(w))) sum += value;
  }
  return sum;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
  return labels;
}

function key(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`);
  return `${name}{${parts.join(',')}}`;
}

/** Scrapes until `done` holds (metrics fed after commit may trail the HTTP answer by a moment). */
export async function scrapeUntil(
  t: TestApp,
  done: (samples: Samples) => boolean,
  timeoutMs = 5000,
): Promise<Samples> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { samples } = await scrape(t);
    if (done(samples) || Date.now() > deadline) return samples;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Deliveries refused for their signature, read from the app's metrics registry (no token needed). */
export async function refusedForSignature(t: TestApp, acquirer: string): Promise<number> {
  const metric = t.app
    .get(MetricsService)
    .registry.getSingleMetric('order_capture_notifications_rejected_total');
  if (!metric) throw new Error('order_capture_notifications_rejected_total is not registered');
  const { values } = await metric.get();
  return values
    .filter((v) => v.labels.acquirer === acquirer && v.labels.reason === 'signature')
    .reduce((sum, v) => sum + v.value, 0);
}
