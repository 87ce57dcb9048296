import { api, ApiError } from './api.js';
import { fill, h, orderLink, table } from './dom.js';
import { formatMoney, formatTime, stateLabel } from './format.js';
import type { Order } from './page-now.js';
import { messageArea, setRoute, stateBadge, type Page } from './ui.js';

/** Every filter of GET /admin/orders, plus search; they live in the URL so a link can be shared. */
const TEXT_FILTERS = ['search', 'acquirer', 'review', 'limit'] as const;
const TIME_FILTERS = [
  ['createdFrom', 'Registered from'],
  ['createdTo', 'Registered before'],
  ['deadlineAfter', 'Deadline from'],
  ['deadlineBefore', 'Deadline before'],
] as const;

export function ordersPage(main: HTMLElement, params: URLSearchParams): Page {
  const msg = messageArea();
  const results = h('div', { class: 'section-body' }, h('p', { class: 'empty' }, 'Loading...'));
  const states = h('fieldset', { class: 'states' }, h('legend', {}, 'State'));
  const chosen = new Set((params.get('state') ?? '').split(',').filter(Boolean));
  const field = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const select = (id: string, options: [string, string][]) =>
    h(
      'select',
      { id, name: id },
      options.map(([value, label]) =>
        h('option', { value, selected: (params.get(id) ?? '') === value }, label),
      ),
    );
  const search = h('input', {
    id: 'search',
    name: 'search',
    type: 'search',
    value: params.get('search') ?? '',
    placeholder: 'merchantOrderId or paymentId',
    autocomplete: 'off',
  });
  const times = TIME_FILTERS.map(([id, label]) => {
    const input = h('input', { id, name: id, type: 'datetime-local', step: 1 });
    const value = params.get(id);
    if (value && !Number.isNaN(Date.parse(value))) input.value = toLocalInput(new Date(value));
    return field(id, label, input);
  });
  const form = h(
    'form',
    {
      class: 'filters',
      'aria-label': 'Filter orders',
      onsubmit: (event: Event) => {
        event.preventDefault();
        setRoute('/orders', readForm(form));
      },
    },
    field('search', 'Search', search),
    states,
    field(
      'acquirer',
      'Acquirer',
      select('acquirer', [
        ['', 'any'],
        ['antom', 'Antom'],
        ['payermax', 'PayerMax'],
      ]),
    ),
    field(
      'review',
      'Review',
      select('review', [
        ['', 'any'],
        ['true', 'under review'],
        ['false', 'not under review'],
      ]),
    ),
    times,
    field(
      'limit',
      'Per page',
      h('input', {
        id: 'limit',
        name: 'limit',
        type: 'number',
        min: 1,
        max: 200,
        value: params.get('limit') ?? '',
        placeholder: '50',
      }),
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit' }, 'Apply filters'),
      h('a', { href: '#/orders', class: 'button secondary' }, 'Clear'),
    ),
  );
  fill(main, h('h1', {}, 'Orders'), form, msg.el, h('section', { 'aria-label': 'Results' }, results));

  // The service lists every state it knows in its stats, a state added later included.
  void api<{ byState: Record<string, number> }>('/admin/stats')
    .then((stats) =>
      fill(
        states,
        h('legend', {}, 'State'),
        [...new Set([...Object.keys(stats.byState), ...chosen])].map((s) => stateBox(s, chosen.has(s))),
      ),
    )
    .catch(() => undefined);

  void load();
  async function load(): Promise<void> {
    try {
      const page = await api<{ items: Order[]; nextCursor: string | null }>(
        `/admin/orders?${apiQuery(params)}`,
      );
      msg.clear();
      const next = new URLSearchParams(params);
      if (page.nextCursor) next.set('cursor', page.nextCursor);
      const first = new URLSearchParams(params);
      first.delete('cursor');
      fill(
        results,
        table(
          'Orders, newest first',
          [
            'Order',
            'Acquirer',
            'Payment id',
            'State',
            'Authorized',
            'Captured',
            'Deadline',
            'Registered',
            'Review',
          ],
          page.items.map((o) => [
            orderLink(o.id, o.merchantOrderId),
            o.acquirer,
            o.paymentId ?? '-',
            stateBadge(o.state),
            formatMoney(o.amount),
            formatMoney(o.capturedAmount),
            formatTime(o.captureDeadline),
            formatTime(o.createdAt),
            o.review ? o.review.reason : '-',
          ]),
          'No order matches these filters.',
        ),
        h(
          'nav',
          { class: 'pager', 'aria-label': 'Pages' },
          params.has('cursor')
            ? h('a', { href: `#/orders?${first}`, class: 'button secondary' }, 'First page')
            : null,
          page.nextCursor
            ? h('a', { href: `#/orders?${next}`, class: 'button', rel: 'next' }, 'Next page')
            : h('span', { class: 'empty' }, 'Last page'),
        ),
      );
      const live = document.getElementById('live-status');
      if (live) live.textContent = `Loaded ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      if (err instanceof ApiError) {
        msg.show('error', err.describe());
        fill(results);
      }
    }
  }
  return { dispose: () => undefined };
}

function stateBox(state: string, checked: boolean): HTMLElement {
  const id = `state-${state}`;
  return h(
    'span',
    { class: 'check' },
    h('input', { type: 'checkbox', id, name: 'state', value: state, checked }),
    h('label', { for: id }, stateLabel(state)),
  );
}

/** The form as URL parameters: empty fields left out, local times turned into ISO instants. */
function readForm(form: HTMLFormElement): URLSearchParams {
  const data = new FormData(form);
  const out = new URLSearchParams();
  // The form has text inputs only: a File never comes back.
  const field = (name: string) => {
    const v = data.get(name);
    return typeof v === 'string' ? v : '';
  };
  const text = field('search').trim();
  if (text) out.set('search', text);
  const states = data.getAll('state').map(String);
  if (states.length) out.set('state', states.join(','));
  for (const name of TEXT_FILTERS.slice(1)) {
    const v = field(name);
    if (v) out.set(name, v);
  }
  for (const [name] of TIME_FILTERS) {
    const v = field(name);
    if (v) out.set(name, new Date(v).toISOString());
  }
  return out;
}

/** The URL's parameters as the API's query: only the names it knows (an old link may carry others). */
function apiQuery(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const name of ['state', ...TEXT_FILTERS, ...TIME_FILTERS.map(([n]) => n), 'cursor']) {
    const v = params.get(name);
    if (v) out.set(name, v);
  }
  return out.toString();
}

/** A Date as the value of a datetime-local input, in the browser's zone. */
function toLocalInput(d: Date): string {
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}
