import { h } from './dom.js';
import { formatBound, formatMs } from './format.js';

export interface CliffHour {
  start: string;
  end: string;
  count: number;
}

export interface CaptureTimes {
  count: number;
  buckets: { upToMs: number | null; count: number }[];
  p50Ms: number | null;
  p90Ms: number | null;
  maxMs: number | null;
}

/**
 * Authorizations lapsing per hour: one bar per hour, a label per day. Heights are set through
 * the CSSOM (allowed by the CSP, unlike style attributes); the figcaption says it in words.
 */
export function cliffChart(hours: CliffHour[]): HTMLElement {
  const total = hours.reduce((n, x) => n + x.count, 0);
  const peak = hours.reduce(
    (best, x) => (x.count > best.count ? x : best),
    hours[0] ?? { start: '', end: '', count: 0 },
  );
  const max = Math.max(1, peak.count);
  const hourFmt = new Intl.DateTimeFormat(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' });
  const bars = hours.map((x, i) => {
    const bar = h('span', {
      class: x.count ? 'bar' : 'bar zero',
      title: `${hourFmt.format(new Date(x.start))}: ${x.count} lapsing`,
    });
    bar.style.height = `${Math.max(x.count ? 4 : 1, Math.round((x.count / max) * 100))}%`;
    return h('span', { class: i % 24 === 0 ? 'col day-start' : 'col' }, bar);
  });
  const days = hours
    .filter((_, i) => i % 24 === 0)
    .map((x) => h('span', { class: 'day' }, dayFmt.format(new Date(x.start))));
  const summary =
    total === 0
      ? 'No authorization lapses in the next 7 days.'
      : `${total} authorization${total === 1 ? '' : 's'} lapse in the next 7 days; ` +
        `the busiest hour (${hourFmt.format(new Date(peak.start))}) has ${peak.count}.`;
  return h(
    'figure',
    { class: 'chart cliff' },
    h('div', { class: 'bars', role: 'img', 'aria-label': summary }, bars),
    h('div', { class: 'days', 'aria-hidden': 'true' }, days),
    h('figcaption', {}, summary),
  );
}

/** The distribution of capture time, one horizontal bar per bucket. */
export function captureTimeChart(t: CaptureTimes): HTMLElement {
  if (t.count === 0) return h('p', { class: 'empty' }, 'No capture reached a result in the last 7 days.');
  const max = Math.max(1, ...t.buckets.map((b) => b.count));
  let previous: number | null = null;
  const rows = t.buckets.map((b) => {
    const label =
      b.upToMs === null
        ? `over ${formatBound(previous ?? 0)}`
        : previous === null
          ? `up to ${formatBound(b.upToMs)}`
          : `to ${formatBound(b.upToMs)}`;
    previous = b.upToMs;
    const bar = h('span', { class: 'hbar' });
    bar.style.width = `${(b.count / max) * 100}%`;
    return h(
      'li',
      {},
      h('span', { class: 'hlabel' }, label),
      h('span', { class: 'htrack' }, bar),
      h('span', { class: 'hcount' }, String(b.count)),
    );
  });
  const caption = `${t.count} capture${t.count === 1 ? '' : 's'}; median ${formatMs(t.p50Ms)}, 90% within ${formatMs(t.p90Ms)}, slowest ${formatMs(t.maxMs)}.`;
  return h(
    'figure',
    { class: 'chart times' },
    h('ul', { 'aria-label': 'Captures by time to result' }, rows),
    h('figcaption', {}, caption),
  );
}
