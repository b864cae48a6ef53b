// Search interactions (Temporal visibility through GET /v1/interactions) by
// customer, status, policy, breached and start date; and a customer's profile.
import { api } from '../api';
import { h, replaceChildren, untrusted } from '../dom';
import { dateTime } from '../format';
import { t } from '../i18n';
import { customerHref, facts, itemHref, loading, problemText, section, type View } from '../ui';

interface ListItem {
  interactionId: string;
  startedAt: string | null;
  status: string | null;
  policy: string | null;
  customer: string | null;
  breached: boolean;
}

const STATUSES = ['triaging', 'ignored', 'responding', 'awaiting-decision', 'following-up', 'resolved', 'unanswered', 'closed'];

function resultsTable(items: ListItem[]): HTMLElement {
  if (items.length === 0) return h('p', { class: 'empty' }, t('noResults'));
  return h(
    'table',
    { class: 'results' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[t('post'), t('customer'), t('status'), t('policy'), t('breached'), t('started')].map((x) => h('th', { scope: 'col' }, x)),
      ),
    ),
    h(
      'tbody',
      {},
      ...items.map((i) =>
        h(
          'tr',
          { class: i.breached ? 'breached' : '' },
          h('td', {}, h('a', { href: itemHref(i.interactionId) }, untrusted(i.interactionId))),
          h('td', {}, i.customer ? h('a', { href: customerHref(i.customer) }, untrusted(i.customer)) : ''),
          h('td', {}, i.status ?? ''),
          h('td', {}, i.policy ?? ''),
          h('td', {}, i.breached ? t('yes') : t('no')),
          h('td', {}, dateTime(i.startedAt)),
        ),
      ),
    ),
  );
}

export function searchView(main: HTMLElement, params: URLSearchParams): View {
  const field = (name: string, label: string, input: HTMLElement) =>
    h('p', { class: 'field' }, h('label', { for: `s-${name}` }, label), input);
  const select = (name: string, options: Array<[string, string]>) => {
    const el = h('select', { id: `s-${name}`, name }, ...options.map(([v, l]) => h('option', { value: v }, l)));
    el.value = params.get(name) ?? '';
    return el;
  };
  const text = (name: string, type = 'text') => {
    const el = h('input', { id: `s-${name}`, name, type }) as HTMLInputElement;
    el.value = params.get(name) ?? '';
    return el;
  };
  const form = h(
    'form',
    {
      id: 'search-form',
      role: 'search',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        const q = new URLSearchParams();
        for (const [k, v] of new FormData(ev.target as HTMLFormElement)) if (typeof v === 'string' && v.trim()) q.set(k, v.trim());
        location.hash = `#/search?${q.toString()}`;
      },
    },
    field('customer', `${t('customer')} (channel:author)`, text('customer')),
    field('status', t('status'), select('status', [['', t('any')], ...STATUSES.map((s): [string, string] => [s, s])])),
    field('policy', t('policy'), text('policy')),
    field(
      'breached',
      t('breached'),
      select('breached', [
        ['', t('any')],
        ['true', t('yes')],
        ['false', t('no')],
      ]),
    ),
    field('since', t('since'), text('since', 'date')),
    h('button', { type: 'submit' }, t('find')),
  );
  const results = h('div', { id: 'results' });
  replaceChildren(main, h('h1', {}, t('search')), form, section(t('results'), 'results-section', results));
  let destroyed = false;
  if ([...params.keys()].length > 0) {
    results.append(loading());
    const q = new URLSearchParams(params);
    const since = q.get('since');
    if (since && /^\d{4}-\d{2}-\d{2}$/.test(since)) q.set('since', new Date(`${since}T00:00:00`).toISOString());
    api<{ interactions: ListItem[] }>('GET', `/v1/interactions?${q.toString()}`)
      .then((body) => !destroyed && replaceChildren(results, resultsTable(body.interactions)))
      .catch((err: unknown) => !destroyed && replaceChildren(results, h('p', { class: 'error', role: 'alert' }, problemText(err))));
  }
  return {
    destroy() {
      destroyed = true;
    },
  };
}

interface Profile {
  customer: { channel: string; authorId: string };
  interactions: number;
  perPolicy: Record<string, number>;
  perStatus: Record<string, number>;
  lastSentiment: { label: string; score: number } | null;
  commitments: { met: number; breached: number };
  recent: ListItem[];
}

export function customerView(main: HTMLElement, channel: string, authorId: string): View {
  const body = h('div', {}, loading());
  replaceChildren(main, h('h1', {}, t('profile'), ' ', untrusted(`${channel}:${authorId}`)), body);
  let destroyed = false;
  const counts = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
  api<Profile>('GET', `/v1/customers/${encodeURIComponent(channel)}/${encodeURIComponent(authorId)}`)
    .then((p) => {
      if (destroyed) return;
      replaceChildren(
        body,
        facts([
          [t('interactions'), String(p.interactions)],
          [t('policy'), counts(p.perPolicy)],
          [t('status'), counts(p.perStatus)],
          [t('lastSentiment'), p.lastSentiment ? `${p.lastSentiment.label} (${p.lastSentiment.score.toFixed(2)})` : '–'],
          [t('commitmentsMet'), `${p.commitments.met} / ${p.commitments.met + p.commitments.breached}`],
        ]),
        section(t('results'), 'customer-results', resultsTable(p.recent)),
      );
    })
    .catch((err: unknown) => !destroyed && replaceChildren(body, h('p', { class: 'error', role: 'alert' }, problemText(err))));
  return {
    destroy() {
      destroyed = true;
    },
  };
}
