import { h } from './dom.js';
import { formatDuration, stateKind, stateLabel } from './format.js';

/** The page currently shown; `dispose` stops its polling when the operator navigates away. */
export interface Page {
  dispose(): void;
}

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: `badge ${stateKind(state)}`, 'data-state': state }, stateLabel(state));
}

/** Under three hours left: shown in red. */
export const URGENT_MS = 3 * 3_600_000;

/** A live countdown to `iso` (kept ticking by tickCountdowns). */
export function countdown(iso: string): HTMLElement {
  const left = Date.parse(iso) - Date.now();
  const text = left > 0 ? `${formatDuration(left)} left` : `passed ${formatDuration(-left)} ago`;
  const kind = left <= 0 ? ' passed' : left < URGENT_MS ? ' urgent' : '';
  return h('span', { class: `countdown${kind}`, 'data-deadline': iso }, text);
}

/** How long ago `iso` was, kept ticking like the countdowns. */
export function age(iso: string): HTMLElement {
  return h('span', { class: 'age', 'data-since': iso }, formatDuration(Date.now() - Date.parse(iso)));
}

/** Where a page reports what went wrong; `role=alert` so a screen reader announces it. */
export function messageArea(): {
  el: HTMLElement;
  show(kind: 'error' | 'ok', text: string): void;
  clear(): void;
} {
  const el = h('div', { class: 'message', role: 'alert', 'aria-live': 'assertive' });
  return {
    el,
    show: (kind, text) => {
      el.className = `message ${kind}`;
      el.textContent = text;
    },
    clear: () => {
      el.className = 'message';
      el.textContent = '';
    },
  };
}

/** The hash route: `#/orders?state=captured` -> { path: '/orders', params }. */
export function currentRoute(): { path: string; params: URLSearchParams } {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?', 2);
  return { path, params: new URLSearchParams(query) };
}

export function setRoute(path: string, params?: URLSearchParams): void {
  const query = params?.toString();
  location.hash = query ? `${path}?${query}` : path;
}
