import { h } from './dom.js';

/**
 * Asks before an action, saying what will happen; resolves true only on an explicit confirm.
 * A native <dialog>: modal, focus kept inside, Escape cancels.
 */
export function confirmAction(title: string, what: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-what' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', { id: 'confirm-what' }, what),
      h(
        'form',
        { method: 'dialog', class: 'buttons' },
        h('button', { value: 'cancel', class: 'secondary', type: 'submit' }, 'Go back'),
        h('button', { value: 'confirm', type: 'submit', id: 'confirm-yes' }, confirmLabel),
      ),
    );
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}
