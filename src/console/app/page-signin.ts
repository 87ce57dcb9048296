import { session, verifyToken } from './api.js';
import { h } from './dom.js';
import { messageArea } from './ui.js';

/** The admin token, checked against the service before it is kept for this tab's session. */
export function signInPage(notice: string | undefined, signedIn: () => void): HTMLElement {
  const msg = messageArea();
  if (notice) msg.show('error', notice);
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'signin',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (!token) return msg.show('error', 'Enter the admin token.');
        button.disabled = true;
        try {
          if ((await verifyToken(token)) === 'refused') {
            msg.show('error', 'The service refused this token.');
            input.select();
            return;
          }
          session.signIn(token);
          signedIn();
        } catch (err) {
          msg.show('error', `Cannot sign in: ${(err as Error).message}`);
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h1', {}, 'order-capture console'),
    h('p', {}, 'Sign in with the admin token (ADMIN_TOKEN). It is kept for this browser tab only.'),
    h('label', { for: 'token' }, 'Admin token'),
    input,
    button,
    msg.el,
  );
  queueMicrotask(() => input.focus());
  return h('main', { id: 'main', class: 'signin-page' }, form);
}
