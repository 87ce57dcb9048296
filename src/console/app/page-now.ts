import { api, type ApiError } from './api.js';
import { captureTimeChart, cliffChart, type CaptureTimes, type CliffHour } from './charts.js';
import { fill, fillWhenChanged, h, orderLink, table } from './dom.js';
import { formatMoney, formatTime, remaining, stateLabel, type Money } from './format.js';
import { poll } from './live.js';
import { age, countdown, messageArea, setRoute, stateBadge, type Page } from './ui.js';

export interface Order {
  id: string;
  merchantOrderId: string;
  acquirer: string;
  paymentId: string | null;
  state: string;
  captureMode: string;
  amount: Money;
  capturedAmount: Money;
  captureDeadline: string;
  captureAt: string | null;
  review: { reason: string; since: string } | null;
  createdAt: string;
  updatedAt: string;
}

interface Stats {
  byState: Record<string, number>;
  underReview: number;
  lapsingWithin24h: number;
  pendingAttempts: { total: number };
}

interface PendingItem {
  order: { id: string; merchantOrderId: string; acquirer: string; state: string };
  attempt: {
    captureRequestId: string;
    amount: Money;
    createdAt: string;
    inquiryCount: number;
    resultCode: string | null;
  };
}

const THRESHOLDS = [1, 5, 15, 60];
/** The home page polls this often: deadlines move in hours, attempts in minutes. */
const NOW_POLL_MS = 5000;

/** What needs a person now: reviews, lapsing authorizations, stuck attempts, failures. */
export function nowPage(main: HTMLElement, params: URLSearchParams): Page {
  const minutes = THRESHOLDS.includes(Number(params.get('pendingMinutes')))
    ? Number(params.get('pendingMinutes'))
    : 5;
  const msg = messageArea();
  const section = (id: string, title: string | HTMLElement) => {
    const body = h('div', { class: 'section-body' }, h('p', { class: 'empty' }, 'Loading...'));
    const el = h('section', { 'aria-labelledby': id }, h('h2', { id }, title), body);
    return { el, body };
  };
  const threshold = h(
    'select',
    {
      id: 'pending-threshold',
      onchange: (e: Event) =>
        setRoute('/', new URLSearchParams({ pendingMinutes: (e.target as HTMLSelectElement).value })),
    },
    THRESHOLDS.map((m) => h('option', { value: m, selected: m === minutes }, `${m} min`)),
  );
  const counts = section('counts', 'Orders by state');
  const lapsing = section('lapsing', 'Lapsing within 24 h');
  const review = section('review', 'Under review');
  const pending = section(
    'pending',
    h(
      'span',
      {},
      'Capture attempts pending longer than ',
      h('label', { for: 'pending-threshold', class: 'visually-hidden' }, 'threshold'),
      threshold,
    ),
  );
  const failed = section('failed', 'Failed captures');
  const cliff = section('cliff', 'Deadline cliff: authorizations lapsing per hour, next 7 days');
  const times = section('times', 'Capture time, request to result (last 7 days)');
  fill(
    main,
    h('h1', {}, 'Now'),
    msg.el,
    counts.el,
    h('div', { class: 'grid' }, lapsing.el, review.el),
    h('div', { class: 'grid' }, pending.el, failed.el),
    h('div', { class: 'grid' }, cliff.el, times.el),
  );

  const load = async () => {
    const [stats, lapse, rev, pend, fail, cl, tm] = await Promise.all([
      api<Stats>('/admin/stats'),
      api<{ items: Order[] }>('/admin/insights/lapsing?withinHours=24&limit=50'),
      api<{ items: Order[] }>('/admin/orders?review=true&limit=50'),
      api<{ items: PendingItem[] }>(
        `/admin/insights/pending-attempts?olderThanSeconds=${minutes * 60}&limit=50`,
      ),
      api<{ items: Order[] }>('/admin/orders?state=captureFailed&limit=50'),
      api<{ hours: CliffHour[] }>('/admin/insights/deadline-cliff?hours=168'),
      api<CaptureTimes>('/admin/insights/capture-times?days=7'),
    ]);
    msg.clear();
    // Once a minute at least: the lapsing tile's link carries a time window.
    const minute = Math.floor(Date.now() / 60_000);
    fillWhenChanged(counts.body, { ...stats, at: minute }, () => countTiles(stats));
    fillWhenChanged(lapsing.body, lapse.items, () =>
      table(
        'Authorizations lapsing within 24 hours, soonest first',
        ['Order', 'State', 'Left to capture', 'Deadline', 'Countdown'],
        lapse.items.map((o) => [
          orderLink(o.id, o.merchantOrderId),
          stateBadge(o.state),
          formatMoney(remaining(o.amount, o.capturedAmount)),
          formatTime(o.captureDeadline),
          countdown(o.captureDeadline),
        ]),
        'No authorization lapses within 24 hours.',
      ),
    );
    fillWhenChanged(review.body, rev.items, () =>
      table(
        'Orders under review',
        ['Order', 'State', 'Reason', 'Since'],
        rev.items.map((o) => [
          orderLink(o.id, o.merchantOrderId),
          stateBadge(o.state),
          o.review?.reason ?? '',
          formatTime(o.review?.since),
        ]),
        'No order is under review.',
      ),
    );
    fillWhenChanged(pending.body, pend.items, () =>
      table(
        `Capture attempts pending longer than ${minutes} minutes, oldest first`,
        ['Order', 'Amount', 'Pending for', 'Inquiries', 'Last code'],
        pend.items.map(({ order, attempt }) => [
          orderLink(order.id, order.merchantOrderId),
          formatMoney(attempt.amount),
          age(attempt.createdAt),
          String(attempt.inquiryCount),
          attempt.resultCode ?? '-',
        ]),
        `No attempt has been pending longer than ${minutes} minutes.`,
      ),
    );
    fillWhenChanged(failed.body, fail.items, () =>
      table(
        'Orders whose capture failed',
        ['Order', 'Acquirer', 'Authorized', 'Deadline'],
        fail.items.map((o) => [
          orderLink(o.id, o.merchantOrderId),
          o.acquirer,
          formatMoney(o.amount),
          countdown(o.captureDeadline),
        ]),
        'No failed capture.',
      ),
    );
    fill(cliff.body, cliffChart(cl.hours));
    fill(times.body, captureTimeChart(tm));
  };
  const poller = poll(load, NOW_POLL_MS, (e: ApiError) => msg.show('error', e.describe()));
  return { dispose: () => poller.stop() };
}

/** Every state the service reports (a new one shows up by itself), each a link to its list. */
function countTiles(stats: Stats): HTMLElement {
  const tile = (label: string, n: number, href: string, attention = false) =>
    h(
      'a',
      { class: attention && n > 0 ? 'tile attention' : 'tile', href },
      h('span', { class: 'n' }, String(n)),
      h('span', { class: 'label' }, label),
    );
  return h(
    'div',
    { class: 'tiles' },
    tile('under review', stats.underReview, '#/orders?review=true', true),
    tile('lapsing within 24 h', stats.lapsingWithin24h, `#/orders?${lapsingFilter()}`, true),
    tile('attempts pending', stats.pendingAttempts.total, '#/orders?state=capturePending', true),
    Object.entries(stats.byState).map(([state, n]) =>
      tile(stateLabel(state), n, `#/orders?state=${encodeURIComponent(state)}`),
    ),
  );
}

function lapsingFilter(): string {
  const now = Date.now();
  return new URLSearchParams({
    state: 'authorized,capturePending,partiallyCaptured,captureFailed',
    deadlineAfter: new Date(now).toISOString(),
    deadlineBefore: new Date(now + 24 * 3_600_000).toISOString(),
  }).toString();
}
