import { api, ApiError, SignedOut } from './api.js';
import { confirmAction } from './confirm.js';
import { fill, h } from './dom.js';
import { exponent, formatMoney, remaining, SETTLED, toDecimal, toMinor } from './format.js';
import type { Order } from './page-now.js';
import { messageArea } from './ui.js';

/**
 * Capture, cancel, reconcile, resolve review: each asks first, then shows what the service
 * answered (a refusal carries the machine's reason) and refreshes the order.
 */
export function orderActions(getOrder: () => Order | undefined, refresh: () => Promise<void>) {
  const msg = messageArea();
  /** The state the order was in once the last action's answer was shown. */
  let answeredIn: string | undefined;
  const run = async (title: string, what: string, label: string, call: () => Promise<string>) => {
    if (!(await confirmAction(title, what, label))) return;
    msg.clear();
    try {
      msg.show('ok', await call());
    } catch (err) {
      if (err instanceof SignedOut) return;
      const e = err instanceof ApiError ? err : new ApiError(0, String(err));
      msg.show('error', e.status === 409 ? `Refused: ${e.message}` : `Failed: ${e.describe()}`);
    }
    await refresh().catch(() => undefined);
    answeredIn = getOrder()?.state;
  };
  const base = () => `/admin/orders/${encodeURIComponent(getOrder()?.id ?? '')}`;

  const amount = h('input', {
    id: 'capture-amount',
    name: 'amount',
    inputmode: 'decimal',
    autocomplete: 'off',
  });
  const amountHint = h('span', { class: 'hint', id: 'capture-amount-hint' });
  const isLast = h('input', { id: 'capture-last', name: 'isLast', type: 'checkbox' });
  const capture = h(
    'form',
    {
      class: 'action',
      'aria-labelledby': 'capture-title',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const order = getOrder();
        if (!order) return;
        const left = remaining(order.amount, order.capturedAmount);
        const typed = amount.value.trim();
        const minor = typed ? toMinor(typed, exponent(order.amount.currency)) : left.value;
        if (minor === undefined || !/^[1-9]\d*$/.test(minor)) {
          msg.show(
            'error',
            `Amount must be a positive number in ${order.amount.currency} with at most ${exponent(order.amount.currency)} decimals.`,
          );
          return amount.focus();
        }
        const money = { currency: order.amount.currency, value: minor };
        const last = isLast.checked;
        await run(
          'Capture this payment?',
          `${formatMoney(money)} of order ${order.merchantOrderId} will be captured through ${order.acquirer} now` +
            `${last ? ', as the last capture: what is left of the authorization is released' : ''}.`,
          `Capture ${formatMoney(money)}`,
          async () => {
            const body: { amount?: string; isLast?: boolean } = typed ? { amount: minor } : {};
            if (last) body.isLast = true;
            const r = await api<{ captureRequestId: string }>(`${base()}/capture`, 'POST', body);
            amount.value = '';
            return `Capture of ${formatMoney(money)} requested (${r.captureRequestId}); the acquirer's answer will show below.`;
          },
        );
      },
    },
    h('h3', { id: 'capture-title' }, 'Capture'),
    h('label', { for: 'capture-amount' }, 'Amount (empty: all that is left)'),
    amount,
    amountHint,
    h(
      'span',
      { class: 'check' },
      isLast,
      h('label', { for: 'capture-last' }, 'Last capture (release the rest)'),
    ),
    h('button', { type: 'submit', id: 'capture-button' }, 'Capture...'),
  );

  const reason = h('input', { id: 'cancel-reason', name: 'reason', autocomplete: 'off', maxlength: 256 });
  const cancel = h(
    'form',
    {
      class: 'action',
      'aria-labelledby': 'cancel-title',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const order = getOrder();
        if (!order) return;
        await run(
          'Cancel this order?',
          `The authorization of order ${order.merchantOrderId} (${formatMoney(order.amount)}) will be voided through ${order.acquirer}. Nothing more can be captured.`,
          'Cancel the order',
          async () => {
            const text = reason.value.trim();
            await api(`${base()}/cancel`, 'POST', text ? { reason: text } : {});
            return 'Order cancelled; the authorization is being voided.';
          },
        );
      },
    },
    h('h3', { id: 'cancel-title' }, 'Cancel'),
    h('label', { for: 'cancel-reason' }, 'Reason (optional)'),
    reason,
    h('button', { type: 'submit', class: 'danger', id: 'cancel-button' }, 'Cancel order...'),
  );

  const reconcile = h(
    'div',
    { class: 'action' },
    h('h3', {}, 'Reconcile'),
    h('p', { class: 'hint' }, 'Ask the acquirer now what happened to the captures, and apply its answer.'),
    h(
      'button',
      {
        type: 'button',
        id: 'reconcile-button',
        class: 'secondary',
        onclick: async () => {
          const order = getOrder();
          if (!order) return;
          await run(
            'Reconcile now?',
            `${order.acquirer} will be asked about the captures of order ${order.merchantOrderId}; whatever it reports is applied.`,
            'Ask the acquirer',
            async () => {
              const r = await api<{ outcome?: string; order: Order }>(`${base()}/reconcile`, 'POST');
              return `Reconciled${r.outcome ? ` (${r.outcome})` : ''}: the order is ${r.order.state}.`;
            },
          );
        },
      },
      'Reconcile now...',
    ),
  );

  const note = h('textarea', { id: 'review-note', name: 'note', rows: 2, maxlength: 1000, required: true });
  const resolve = h(
    'form',
    {
      class: 'action',
      'aria-labelledby': 'review-title',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const order = getOrder();
        if (!order?.review) return;
        const text = note.value.trim();
        if (!text) return msg.show('error', 'A note is required to resolve a review.');
        await run(
          'Resolve the review?',
          `The review of order ${order.merchantOrderId} ("${order.review.reason}") will be closed with your note. The order may then ship if it is captured.`,
          'Resolve the review',
          async () => {
            await api(`${base()}/review/resolve`, 'POST', { note: text });
            note.value = '';
            return 'Review resolved.';
          },
        );
      },
    },
    h('h3', { id: 'review-title' }, 'Resolve review'),
    h('label', { for: 'review-note' }, 'Note'),
    note,
    h('button', { type: 'submit', id: 'resolve-button' }, 'Resolve review...'),
  );

  const panel = h('div', { class: 'actions' });
  const el = h(
    'section',
    { 'aria-labelledby': 'actions-title' },
    h('h2', { id: 'actions-title' }, 'Actions'),
    msg.el,
    panel,
  );
  /** Shows the actions that make sense for the order as it is now (the machine still decides). */
  const update = (order: Order) => {
    // The answer to an action is about the state it was given in; once that moved on, it goes.
    if (answeredIn !== undefined && order.state !== answeredIn) {
      msg.clear();
      answeredIn = undefined;
    }
    const left = remaining(order.amount, order.capturedAmount);
    const digits = exponent(order.amount.currency);
    amount.placeholder = toDecimal(left.value, digits);
    amountHint.textContent = `${order.amount.currency}; ${formatMoney(left)} left to capture`;
    // Hidden only where nothing can follow; elsewhere the machine answers, a refusal with its reason.
    const open = !SETTLED.has(order.state);
    const shown = [
      open && left.value !== '0' ? capture : null,
      open ? cancel : null,
      reconcile,
      order.review ? resolve : null,
    ].filter((x) => x !== null) as HTMLElement[];
    if (shown.length !== panel.children.length || shown.some((x, i) => panel.children[i] !== x))
      fill(panel, shown);
  };
  return { el, update };
}
