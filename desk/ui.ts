// Small shared pieces of the desk's screens.
import { ApiError } from './api';
import { h } from './dom';
import { t } from './i18n';

export interface View {
  /** Handles a shortcut key; true when it did something. */
  key?(e: KeyboardEvent): boolean;
  destroy(): void;
}

/** Says `text` in the status line (screen readers hear it: role=status). */
export function announce(text: string, kind: 'info' | 'error' = 'info'): void {
  const el = document.getElementById('status');
  if (!el) return;
  el.className = kind;
  el.textContent = text;
}

export function problemText(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = Array.isArray(err.body?.errors)
      ? (err.body.errors as Array<{ field?: string; message?: string }>).map((e) => `${e.field ?? ''} ${e.message ?? ''}`.trim()).join('; ')
      : '';
    return `${err.status} ${err.message}${fields && !err.message.includes(fields) ? ` (${fields})` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

export function section(title: string, id: string, ...children: Array<Node | null | false>): HTMLElement {
  return h('section', { 'aria-labelledby': `${id}-h`, id }, h('h2', { id: `${id}-h` }, title), ...children);
}

/** A definition list of label → value rows (values may be nodes). */
export function facts(rows: Array<[string, Node | string | null | undefined]>): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === '') continue;
    dl.append(h('dt', {}, label), h('dd', {}, value));
  }
  return dl;
}

export function itemHref(interactionId: string): string {
  return `#/i/${encodeURIComponent(interactionId)}`;
}

export function customerHref(customer: string): string {
  const i = customer.indexOf(':');
  return `#/c/${encodeURIComponent(customer.slice(0, i))}/${encodeURIComponent(customer.slice(i + 1))}`;
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading' }, t('loading'));
}
