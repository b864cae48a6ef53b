// The queue: what waits for the user's teams, earliest deadline first, with a
// live countdown, due-soon/breached colours and a count per team. New
// escalations appear and decided ones leave as the live events say.
import { api } from '../api';
import { h, replaceChildren, untrusted } from '../dom';
import { countdown, urgency } from '../format';
import { t } from '../i18n';
import { subscribe } from '../live';
import { announce, itemHref, problemText, type View } from '../ui';

interface Escalation {
  interactionId: string;
  team: string;
  level: number;
  openedAt: string;
  deadline: string;
  post: { channel: string; author: { handle?: string; name?: string }; text: string };
  policy: { id: string; version: string } | null;
}

export function queueView(main: HTMLElement): View {
  let items: Escalation[] = [];
  let selected = 0;
  let destroyed = false;
  const list = h('ol', { class: 'queue', id: 'queue', 'aria-label': t('waiting') });
  const teams = h('ul', { class: 'teams', 'aria-label': t('perTeam') });
  const empty = h('p', { class: 'empty', hidden: true }, t('nothingWaiting'));
  replaceChildren(main, h('h1', {}, t('waiting')), teams, empty, list);

  const tick = () => {
    const now = Date.now();
    for (const row of list.querySelectorAll<HTMLElement>('[data-deadline]')) {
      const deadline = row.dataset.deadline!;
      const u = urgency(deadline, row.dataset.opened, now);
      const left = Date.parse(deadline) - now;
      const cd = row.querySelector('.countdown');
      if (cd) cd.textContent = `${countdown(left)} ${left < 0 ? t('overdue') : t('left')}`;
      const badge = row.querySelector('.badge');
      if (badge) badge.textContent = u === 'breached' ? t('breached') : u === 'due-soon' ? t('dueSoon') : '';
      row.classList.toggle('breached', u === 'breached');
      row.classList.toggle('due-soon', u === 'due-soon');
    }
  };

  const render = () => {
    const counts = new Map<string, number>();
    for (const e of items) counts.set(e.team, (counts.get(e.team) ?? 0) + 1);
    replaceChildren(teams, ...[...counts].map(([team, n]) => h('li', { 'data-team': team }, h('span', {}, team), ' ', h('strong', {}, n))));
    empty.hidden = items.length > 0;
    selected = Math.min(selected, Math.max(0, items.length - 1));
    replaceChildren(
      list,
      ...items.map((e, i) =>
        h(
          'li',
          { 'data-deadline': e.deadline, 'data-opened': e.openedAt, 'data-id': e.interactionId, class: i === selected ? 'selected' : '' },
          h(
            'a',
            { href: itemHref(e.interactionId), 'aria-current': i === selected ? 'true' : null },
            h('span', { class: 'countdown', role: 'timer' }),
            h('span', { class: 'badge' }),
            h('span', { class: 'team' }, e.team),
            h('span', { class: 'who' }, untrusted(e.post.author.name ?? e.post.author.handle ?? '?'), ' · ', e.post.channel),
            h('span', { class: 'text' }, untrusted(e.post.text.slice(0, 160))),
            e.policy ? h('span', { class: 'policy' }, e.policy.id) : null,
          ),
        ),
      ),
    );
    tick();
  };

  let loadingNow: Promise<void> | null = null;
  const load = () => {
    loadingNow ??= api<{ escalations: Escalation[] }>('GET', '/v1/escalations')
      .then((body) => {
        if (destroyed) return;
        const before = new Set(items.map((e) => e.interactionId));
        items = [...body.escalations].sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
        const fresh = items.filter((e) => !before.has(e.interactionId));
        const focusedId = (document.activeElement?.closest('[data-id]') as HTMLElement | null)?.dataset.id;
        render();
        if (focusedId) list.querySelector<HTMLElement>(`[data-id="${CSS.escape(focusedId)}"] a`)?.focus();
        if (before.size > 0 && fresh.length > 0) announce(t('newEscalation', { id: fresh[0]!.interactionId }));
      })
      .catch((err: unknown) => announce(problemText(err), 'error'))
      .finally(() => (loadingNow = null));
    return loadingNow;
  };

  const timer = window.setInterval(tick, 1000);
  const unsubscribe = subscribe((e) => {
    if (e.type === 'escalation.opened' || e.type === 'escalation.decided' || e.type === 'poll') void load();
  });
  void load();

  const move = (delta: number) => {
    if (items.length === 0) return;
    selected = (selected + delta + items.length) % items.length;
    for (const [i, li] of [...list.children].entries()) {
      li.classList.toggle('selected', i === selected);
      li.querySelector('a')?.setAttribute('aria-current', i === selected ? 'true' : 'false');
    }
    list.children[selected]?.querySelector('a')?.focus();
  };

  return {
    key(e) {
      if (e.key === 'j') move(1);
      else if (e.key === 'k') move(-1);
      else if (e.key === 'o' && items[selected]) location.hash = itemHref(items[selected]!.interactionId);
      else return false;
      return true;
    },
    destroy() {
      destroyed = true;
      window.clearInterval(timer);
      unsubscribe();
    },
  };
}
