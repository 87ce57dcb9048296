import { api, ApiError } from './api.js';
import { fill, h, table } from './dom.js';
import { formatMoney, formatTime, remaining, SETTLED } from './format.js';
import { poll } from './live.js';
import { orderActions } from './order-actions.js';
import type { Order } from './page-now.js';
import { countdown, messageArea, stateBadge, type Page } from './ui.js';

interface Detail extends Order {
  paymentRequestId: string | null;
  authorizedAt: string;
  attempts: {
    captureRequestId: string;
    amount: Order['amount'];
    isLast: boolean;
    status: string;
    origin: string;
    resultCode: string | null;
    resultMessage: string | null;
    inquiryCount: number;
    createdAt: string;
    resolvedAt: string | null;
  }[];
  transitions: { from: string; to: string; event: string; source: string; at: string }[];
  notifications: {
    id: number;
    acquirer: string;
    notifyType: string | null;
    outcome: string;
    detail: string | null;
    rawBody: string;
    receivedAt: string;
  }[];
}

interface Shipment {
  shippable: boolean;
  reason: string | null;
}

/** An open order follows its changes at this rhythm: a pending capture resolves in seconds. */
const ORDER_POLL_MS = 2000;

/** One order: amounts, deadline, shipment verdict, history, attempts, notifications, actions. */
export function orderPage(main: HTMLElement, id: string): Page {
  let order: Detail | undefined;
  let shownKey = '';
  const msg = messageArea();
  const title = h('h1', {}, 'Order');
  const summary = h('div', { class: 'summary' });
  const review = h('div');
  const timeline = h('div', { class: 'section-body' });
  const attempts = h('div', { class: 'section-body' });
  const notes = h('div', { class: 'section-body notifications' });
  const shown = new Map<number, HTMLElement>();
  const section = (key: string, label: string, body: HTMLElement) =>
    h('section', { 'aria-labelledby': key }, h('h2', { id: key }, label), body);
  const load = async () => {
    const base = `/admin/orders/${encodeURIComponent(id)}`;
    const [detail, shipment] = await Promise.all([
      api<Detail>(base),
      api<Shipment>(`/orders/${encodeURIComponent(id)}/shipment`),
    ]);
    order = detail;
    msg.clear();
    // Nothing new: the page stays as it is (focus, open notifications, scroll positions).
    const key = JSON.stringify([detail, shipment]);
    if (key === shownKey) return;
    shownKey = key;
    render(detail, shipment);
  };
  const actions = orderActions(
    () => order,
    () => poller.refresh(),
  );
  fill(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/orders' }, 'Orders')),
    title,
    msg.el,
    review,
    summary,
    actions.el,
    section('timeline', 'Timeline', timeline),
    section('attempts', 'Capture attempts', attempts),
    section('notifications', 'Notifications received', notes),
  );

  function render(o: Detail, shipment: Shipment): void {
    fill(title, `Order ${o.merchantOrderId} `, stateBadge(o.state));
    fill(
      review,
      o.review
        ? h(
            'div',
            { class: 'banner review', role: 'note' },
            h('strong', {}, 'Under review: '),
            o.review.reason,
            ` (since ${formatTime(o.review.since)})`,
          )
        : null,
    );
    const left = remaining(o.amount, o.capturedAmount);
    const item = (label: string, ...value: (string | HTMLElement)[]) => [
      h('dt', {}, label),
      h('dd', {}, ...value),
    ];
    fill(
      summary,
      h(
        'div',
        { class: 'amounts' },
        h(
          'div',
          { class: 'amount' },
          h('span', { class: 'label' }, 'Authorized'),
          h('span', { class: 'value', id: 'amount-authorized' }, formatMoney(o.amount)),
        ),
        h(
          'div',
          { class: 'amount' },
          h('span', { class: 'label' }, 'Captured'),
          h('span', { class: 'value', id: 'amount-captured' }, formatMoney(o.capturedAmount)),
        ),
        h(
          'div',
          { class: 'amount' },
          h('span', { class: 'label' }, 'Remaining'),
          h('span', { class: 'value', id: 'amount-remaining' }, formatMoney(left)),
        ),
      ),
      h(
        'div',
        { class: shipment.shippable ? 'banner ok' : 'banner hold', id: 'shipment' },
        h('strong', {}, shipment.shippable ? 'May ship.' : 'Do not ship: '),
        shipment.reason ?? '',
      ),
      h(
        'dl',
        { class: 'facts' },
        item(
          'Capture deadline',
          formatTime(o.captureDeadline),
          ' ',
          SETTLED.has(o.state)
            ? h('span', { class: 'hint' }, '(no longer applies)')
            : countdown(o.captureDeadline),
        ),
        item('Acquirer', o.acquirer),
        item('Payment id', o.paymentId ?? '-'),
        item('Payment request id', o.paymentRequestId ?? '-'),
        item('Capture mode', o.captureMode),
        item('Scheduled capture', formatTime(o.captureAt)),
        item('Authorized at', formatTime(o.authorizedAt)),
        item('Order id', o.id),
      ),
    );
    actions.update(o);
    fill(
      timeline,
      table(
        'Transitions, oldest first',
        ['Time', 'Event', 'From', 'To', 'Source'],
        o.transitions.map((t) => [formatTime(t.at), t.event, t.from, t.to, t.source]),
        'No transition yet.',
      ),
    );
    fill(
      attempts,
      table(
        'Capture attempts',
        [
          'Capture request',
          'Amount',
          'Last',
          'Status',
          'Result code',
          'Message',
          'Requested',
          'Resolved',
          'Inquiries',
        ],
        o.attempts.map((a) => [
          a.captureRequestId,
          formatMoney(a.amount),
          a.isLast ? 'yes' : 'no',
          h('span', { class: `badge attempt-${a.status}` }, a.status),
          a.resultCode ?? '-',
          a.resultMessage ?? '-',
          formatTime(a.createdAt),
          formatTime(a.resolvedAt),
          String(a.inquiryCount),
        ]),
        'No capture attempt yet.',
      ),
    );
    if (o.notifications.length === 0)
      fill(notes, h('p', { class: 'empty' }, 'No notification received for this order.'));
    else if (shown.size === 0) fill(notes);
    // Appended, never rebuilt: a body the operator opened stays open while the page refreshes.
    for (const n of o.notifications) {
      if (shown.has(n.id)) continue;
      const el = notification(n, o.notifications.length <= 3);
      shown.set(n.id, el);
      notes.appendChild(el);
    }
  }

  const poller = poll(load, ORDER_POLL_MS, (e: ApiError) =>
    msg.show('error', e.status === 404 ? `No order ${id}.` : e.describe()),
  );
  return { dispose: () => poller.stop() };
}

function notification(n: Detail['notifications'][number], open: boolean): HTMLElement {
  return h(
    'details',
    { class: 'notification', open, 'data-notification': n.id },
    h(
      'summary',
      {},
      `${formatTime(n.receivedAt)}: ${n.acquirer} ${n.notifyType ?? 'notification'}, ${n.outcome}`,
      n.detail ? ` (${n.detail})` : '',
    ),
    h('pre', { class: 'raw' }, pretty(n.rawBody)),
  );
}

/** The body as received, indented when it is JSON; shown as text whatever it holds. */
function pretty(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}
