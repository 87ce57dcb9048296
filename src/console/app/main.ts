import { onSignedOut, session } from './api.js';
import { fill, h } from './dom.js';
import { formatDuration } from './format.js';
import { tickCountdowns } from './live.js';
import { nowPage } from './page-now.js';
import { orderPage } from './page-order.js';
import { ordersPage } from './page-orders.js';
import { signInPage } from './page-signin.js';
import { currentRoute, type Page } from './ui.js';

const root = document.getElementById('app') as HTMLElement;
let page: Page | undefined;
let notice: string | undefined;

function render(): void {
  page?.dispose();
  page = undefined;
  if (!session.token()) {
    fill(
      root,
      signInPage(notice, () => render()),
    );
    notice = undefined;
    return;
  }
  const { path, params } = currentRoute();
  const main = h('main', { id: 'main', tabindex: -1 });
  fill(root, shell(path), main);
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order) page = orderPage(main, decodeURIComponent(order[1] ?? ''));
  else if (path === '/orders') page = ordersPage(main, params);
  else page = nowPage(main, params);
  main.focus({ preventScroll: true });
}

function shell(path: string): HTMLElement {
  const link = (href: string, label: string, active: boolean) =>
    h('a', { href, 'aria-current': active ? 'page' : undefined }, label);
  return h(
    'header',
    { class: 'top' },
    h('span', { class: 'brand' }, 'order-capture'),
    h(
      'nav',
      { 'aria-label': 'Console' },
      link('#/', 'Now', path === '/' || path === ''),
      link('#/orders', 'Orders', path.startsWith('/orders')),
    ),
    h('span', { id: 'live-status', class: 'live', role: 'status' }, 'Loading...'),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          session.signOut();
          notice = 'Signed out.';
          render();
        },
      },
      'Sign out',
    ),
  );
}

onSignedOut((message) => {
  notice = message;
  render();
});
window.addEventListener('hashchange', render);
window.setInterval(() => tickCountdowns(formatDuration), 1000);
render();
