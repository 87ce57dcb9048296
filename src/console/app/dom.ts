/**
 * The console's only way to build the page. Every value becomes a text node or an attribute
 * value, never markup: acquirer messages, ids and raw notification bodies come from outside.
 */
export type Child = Node | string | number | null | undefined | false | Child[];
type Attr = string | number | boolean | null | undefined | ((event: Event) => void | Promise<void>);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    // An async handler's failure is reported, not left as an unhandled rejection.
    if (typeof value === 'function')
      el.addEventListener(name.replace(/^on/, ''), (event) => {
        Promise.resolve(value(event)).catch((err: unknown) => console.error(err));
      });
    else if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

const shownData = new WeakMap<Element, string>();

/**
 * Replaces the content only when `data` changed since the last time: a refresh that brings
 * nothing new leaves the elements alone, so keyboard focus and scrolling inside them survive.
 */
export function fillWhenChanged(el: Element, data: unknown, build: () => Child): void {
  const key = JSON.stringify(data);
  if (shownData.get(el) === key) return;
  shownData.set(el, key);
  fill(el, build());
}

/** A table inside a scrolling wrapper, so that a phone scrolls it instead of the page. */
export function table(caption: string, headers: string[], rows: Child[][], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            cells.map((c) => h('td', {}, c)),
          ),
        ),
      ),
    ),
  );
}

export function orderLink(id: string, label: string): HTMLAnchorElement {
  return h('a', { href: `#/orders/${encodeURIComponent(id)}` }, label);
}
