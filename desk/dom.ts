// Building the DOM without HTML strings: every text goes in as a text node,
// so a post's `<script>` or `<img onerror>` is shown, never parsed. Nothing
// in the desk uses innerHTML.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

// Bidirectional overrides/isolates and other invisible controls: a post could
// use them to make text read differently than it is stored (Trojan Source).
// They are shown as visible marks instead of acting.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /([\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F])/u;

/** Text from outside (a post, a name, a template): isolated direction, controls made visible. */
export function untrusted(text: string | null | undefined, tag: 'bdi' | 'div' = 'bdi'): HTMLElement {
  const el = h(tag, { dir: 'auto', class: 'untrusted' });
  for (const part of String(text ?? '').split(INVISIBLE)) {
    if (part === '') continue;
    if (INVISIBLE.test(part) && part.length === 1) {
      const code = `U+${part.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      el.appendChild(h('span', { class: 'ctl', title: code }, `[${code}]`));
    } else el.appendChild(document.createTextNode(part));
  }
  return el;
}

/** A link only for http(s) URLs: a post's `javascript:` link stays text. */
export function safeLink(url: string | undefined | null, label: string): HTMLElement {
  if (url) {
    try {
      const u = new URL(url);
      if (u.protocol === 'https:' || u.protocol === 'http:')
        return h('a', { href: u.href, target: '_blank', rel: 'noopener noreferrer' }, label);
    } catch {
      // not a URL: shown as text below
    }
  }
  return h('span', {}, label);
}

export function $(selector: string, root: ParentNode = document): HTMLElement | null {
  return root.querySelector<HTMLElement>(selector);
}
