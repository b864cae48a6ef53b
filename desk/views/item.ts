// One interaction: the post and its author, the triage and why, the policy,
// the pending escalation with its decision forms, canned replies, presence,
// the thread and the timeline. A colleague's decision (live event, or a 409
// when both pressed at once) disables the forms and says who decided what.
import { api, ApiError, canDecide, currentUser, isLead } from '../api';
import { h, replaceChildren, safeLink, untrusted } from '../dom';
import { countdown, dateTime, time, urgency } from '../format';
import { t } from '../i18n';
import { subscribe } from '../live';
import { CHANNEL_TEXT_LIMITS, measure, type TextLimit } from '../../src/channels/text-limit';
import { announce, customerHref, facts, loading, problemText, section, type View } from '../ui';

interface Author {
  id?: string;
  handle?: string;
  name?: string;
  followers?: number;
}
interface Post {
  channel: string;
  id: string;
  author: Author;
  text: string;
  language?: string;
  createdAt: string;
  url?: string;
}
interface EscalationRecord {
  team: string;
  level: number;
  openedAt: string;
  deadline: string;
  status: string;
  postId: string;
  draftReply?: string;
  decidedBy?: { name: string; role: string };
  note?: string;
}
interface State {
  interactionId: string;
  status: string;
  triage: {
    language: string;
    addressedToUs: boolean;
    intent: string;
    sentiment: { score: number; label: string };
    reach: string;
    risk: string[];
    signals?: string[];
  } | null;
  policy: { id: string; version: string } | null;
  escalations: EscalationRecord[];
  replies: Array<{ kind: string; text: string; publishedAt: string; postId: string }>;
  posts: Post[];
  workflow: { status: string };
  /** The channel replies go to and its limit (null: none known). */
  channel?: { name: string; replyLimit: TextLimit | null };
  /** The pending draft rendered for this customer (absent on an older API: the raw template is shown). */
  pendingDraft?: { template: string; text: string } | null;
}
interface TimelineEvent {
  at: string;
  type: string;
  actor?: string;
  [k: string]: unknown;
}
interface Template {
  id: string;
  language: string;
  text: string;
}

const PRESENCE_MS = 10_000;
/** Timeline fields that are bookkeeping, not what happened. */
const NOISE = new Set([
  'at',
  'type',
  'actor',
  'source',
  'runId',
  'eventId',
  'recordedAt',
  'timerId',
  'messageId',
  'replyId',
  'noteId',
  'idempotencyKey',
  'stepPath',
  'postId',
]);
const STATUS_OF: Record<string, string> = { approved: 'approve', rejected: 'reject', reassigned: 'reassign' };

export function itemView(main: HTMLElement, id: string): View {
  const base = `/v1/interactions/${encodeURIComponent(id)}`;
  let destroyed = false;
  let pending: EscalationRecord | null = null;
  let decidedElsewhere = false;
  let lastSignature = '';
  let deciding = false;
  let presenceOn = true;
  let lastTyping = 0;
  const me = currentUser()?.name;

  const presenceBar = h('p', { id: 'presence', class: 'presence', 'aria-live': 'polite' });
  const banner = h('div', { id: 'decided', class: 'banner', role: 'alert', hidden: true });
  const body = h('div', { class: 'item-body' }, loading());
  replaceChildren(
    main,
    h('p', {}, h('a', { href: '#/', class: 'back' }, `← ${t('back')}`)),
    h('h1', {}, t('post'), ' ', untrusted(id)),
    presenceBar,
    banner,
    body,
  );

  const presence = (s: 'viewing' | 'typing' | 'left') => {
    if (!presenceOn) return;
    api('POST', `${base}/presence`, { state: s }).catch((err: unknown) => {
      if (err instanceof ApiError && (err.status === 404 || err.status === 405)) presenceOn = false;
    });
  };

  const showDecided = (by: string, decision: string) => {
    decidedElsewhere = true;
    banner.hidden = false;
    banner.textContent = t('alreadyDecided', { by, decision });
    for (const el of main.querySelectorAll<HTMLButtonElement | HTMLTextAreaElement | HTMLInputElement | HTMLSelectElement>(
      '.decision button, .decision textarea, .decision input, .decision select',
    ))
      el.disabled = true;
  };

  const decide = async (payload: { decision: string; reply?: string; note?: string; team?: string }, key: string) => {
    if (deciding || decidedElsewhere) return;
    deciding = true;
    try {
      await api('POST', `/v1/escalations/${encodeURIComponent(id)}/decision`, payload, { 'Idempotency-Key': key });
      announce(t('decided', { decision: payload.decision }));
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const fresh = await api<State>('GET', base).catch(() => null);
        const rec = fresh?.escalations.filter((e) => e.decidedBy).at(-1);
        const decidedBy = err.body?.decidedBy as { name?: string } | string | undefined;
        const by = (typeof decidedBy === 'string' ? decidedBy : decidedBy?.name) ?? rec?.decidedBy?.name ?? '?';
        const decision = String(err.body?.decision ?? (rec ? (STATUS_OF[rec.status] ?? rec.status) : '?'));
        showDecided(by, decision);
        announce(t('alreadyDecided', { by, decision }), 'error');
      } else if (err instanceof ApiError && err.status === 403) announce(t('notAllowed'), 'error');
      else announce(t('failed', { detail: problemText(err) }), 'error');
    } finally {
      deciding = false;
    }
  };

  const limitOf = (s: State): TextLimit | null => {
    const channel = s.channel?.name ?? s.posts.at(-1)?.channel ?? '';
    if (s.channel) return s.channel.replyLimit;
    return CHANNEL_TEXT_LIMITS[channel] ?? null;
  };

  const counter = (area: HTMLTextAreaElement, out: HTMLElement, limit: TextLimit | null) => {
    const update = () => {
      const n = measure(area.value.trim(), limit?.unit ?? 'characters');
      const over = limit !== null && n > limit.max;
      out.textContent = limit
        ? `${n} ${t('of')} ${limit.max} ${t('characters')}${over ? ` – ${t('tooLong')}` : ''}`
        : `${n} ${t('characters')}`;
      out.classList.toggle('over', over);
      area.setAttribute('aria-invalid', over ? 'true' : 'false');
    };
    area.addEventListener('input', () => {
      update();
      if (Date.now() - lastTyping > 3000) {
        lastTyping = Date.now();
        presence('typing');
      }
    });
    update();
  };

  const decisionForms = (s: State, esc: EscalationRecord, templates: Template[]): HTMLElement => {
    const key = crypto.randomUUID();
    const reply = h('textarea', { id: 'reply', rows: 5, 'aria-describedby': 'reply-count' }) as HTMLTextAreaElement;
    // Prefilled as the customer would read it; the raw template only when the API did not render it.
    const draft = s.pendingDraft?.template === esc.draftReply && s.pendingDraft ? s.pendingDraft.text : esc.draftReply;
    reply.value = draft ?? '';
    const count = h('p', { id: 'reply-count', class: 'count' });
    counter(reply, count, limitOf(s));
    const picker = templates.length
      ? h(
          'p',
          {},
          h('label', { for: 'template' }, t('cannedReplies')),
          ' ',
          h(
            'select',
            {
              id: 'template',
              onchange: (ev: Event) => {
                const sel = ev.target as HTMLSelectElement;
                const tpl = templates[Number(sel.value)];
                if (!tpl) return;
                reply.value = tpl.text;
                reply.dispatchEvent(new Event('input'));
                reply.focus();
                sel.value = '';
              },
            },
            h('option', { value: '' }, t('pickTemplate')),
            ...templates.map((tpl, i) => h('option', { value: i }, `${tpl.id} (${tpl.language}): ${tpl.text.slice(0, 60)}`)),
          ),
        )
      : null;
    const approveForm = h(
      'form',
      {
        id: 'approve-form',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          // Unchanged, the draft is approved as drafted: the workflow fills in its template
          // variables ({{author.name}}); an edited text is published verbatim.
          const unchanged = draft !== undefined && reply.value === draft;
          void decide({ decision: 'approve', ...(unchanged ? {} : { reply: reply.value }) }, `${key}-approve`);
        },
      },
      h('label', { for: 'reply' }, t('draftedReply')),
      picker,
      reply,
      count,
      draft?.includes('{{') ? h('p', { class: 'muted', id: 'draft-hint' }, t('draftPlaceholders')) : null,
      h('button', { type: 'submit', id: 'approve', class: 'primary', 'aria-keyshortcuts': 'Control+Enter' }, t('approve')),
    );
    reply.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        approveForm.requestSubmit();
      }
    });
    const note = h('textarea', { id: 'reject-note', rows: 2 }) as HTMLTextAreaElement;
    const rejectForm = h(
      'form',
      {
        id: 'reject-form',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          void decide({ decision: 'reject', ...(note.value.trim() ? { note: note.value.trim() } : {}) }, `${key}-reject`);
        },
      },
      h('label', { for: 'reject-note' }, t('rejectNote')),
      note,
      h('button', { type: 'submit', id: 'reject' }, t('reject')),
    );
    let reassignForm: HTMLElement | null = null;
    if (isLead(esc.team)) {
      const team = h('input', {
        id: 'reassign-team',
        list: 'team-list',
        required: true,
        pattern: '[a-z0-9][a-z0-9\\-]*',
        autocomplete: 'off',
      }) as HTMLInputElement;
      const known = Object.keys(currentUser()?.teams ?? {}).filter((x) => x !== '*' && x !== esc.team);
      reassignForm = h(
        'form',
        {
          id: 'reassign-form',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            void decide({ decision: 'reassign', team: team.value.trim() }, `${key}-reassign-${team.value.trim()}`);
          },
        },
        h('label', { for: 'reassign-team' }, t('toTeam')),
        team,
        h('datalist', { id: 'team-list' }, ...known.map((x) => h('option', { value: x }))),
        h('button', { type: 'submit', id: 'reassign' }, t('reassign')),
      );
    }
    const left = Date.parse(esc.deadline) - Date.now();
    return section(
      t('escalation'),
      'decision',
      facts([
        [t('team'), esc.team],
        [t('deadline'), `${dateTime(esc.deadline)} (${countdown(left)} ${left < 0 ? t('overdue') : t('left')})`],
      ]),
      h('div', { class: `decision ${urgency(esc.deadline, esc.openedAt)}` }, approveForm, rejectForm, reassignForm),
    );
  };

  const agentForms = (s: State): HTMLElement => {
    const text = h('textarea', { id: 'agent-reply', rows: 3, 'aria-describedby': 'agent-reply-count' }) as HTMLTextAreaElement;
    const count = h('p', { id: 'agent-reply-count', class: 'count' });
    counter(text, count, limitOf(s));
    const replyKey = crypto.randomUUID();
    const note = h('textarea', { id: 'note', rows: 2 }) as HTMLTextAreaElement;
    const post = async (path: string, payload: unknown, headers: Record<string, string>, done: string, box: HTMLTextAreaElement) => {
      try {
        await api('POST', `${base}/${path}`, payload, headers);
        announce(done);
        box.value = ''; // sent: the redraw must not bring it back as a draft
        await load();
      } catch (err) {
        announce(err instanceof ApiError && err.status === 404 ? t('unavailable') : t('failed', { detail: problemText(err) }), 'error');
      }
    };
    return section(
      t('agentReply'),
      'answer',
      h(
        'form',
        {
          id: 'agent-reply-form',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            void post('replies', { text: text.value }, { 'Idempotency-Key': replyKey }, t('sent'), text);
          },
        },
        h('label', { for: 'agent-reply' }, t('reply')),
        text,
        count,
        h('button', { type: 'submit', id: 'agent-send' }, t('send')),
      ),
      h(
        'form',
        {
          id: 'note-form',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            if (note.value.trim()) void post('notes', { text: note.value.trim() }, {}, t('noted'), note);
          },
        },
        h('label', { for: 'note' }, t('note')),
        note,
        h('button', { type: 'submit', id: 'add-note' }, t('addNote')),
      ),
    );
  };

  const postCard = (p: Post, lang?: string) =>
    h(
      'article',
      { class: 'post', 'data-post': p.id },
      h(
        'header',
        {},
        h('strong', {}, untrusted(p.author.name ?? p.author.handle ?? p.author.id ?? '?')),
        p.author.handle ? h('span', { class: 'handle' }, ' @', untrusted(p.author.handle)) : null,
        p.author.followers !== undefined
          ? h('span', { class: 'reach' }, ` · ${p.author.followers.toLocaleString()} ${t('followers')}`)
          : null,
        h('span', {}, ` · ${p.channel} · `, h('time', { datetime: p.createdAt }, dateTime(p.createdAt))),
        (p.language ?? lang) ? h('span', { class: 'lang' }, ` · ${t('languageOf')}: ${p.language ?? lang}`) : null,
      ),
      untrusted(p.text, 'div'),
      h(
        'p',
        { class: 'links' },
        safeLink(p.url, t('openOnPlatform')),
        ' · ',
        h('a', { href: customerHref(`${p.channel}:${p.author.id ?? p.author.handle ?? ''}`) }, t('profile')),
      ),
    );

  const thread = (s: State) => {
    const entries: Array<{ at: string; node: HTMLElement }> = [
      ...s.posts.map((p) => ({ at: p.createdAt, node: postCard(p) })),
      ...s.replies.map((r) => ({
        at: r.publishedAt,
        node: h(
          'article',
          { class: 'reply' },
          h('header', {}, h('strong', {}, r.kind), ' · ', h('time', { datetime: r.publishedAt }, dateTime(r.publishedAt))),
          untrusted(r.text, 'div'),
        ),
      })),
    ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return section(t('thread'), 'thread', ...entries.map((e) => e.node));
  };

  const timeline = (events: TimelineEvent[]) => {
    // Compact: the event's own words (text, decision, team, …), not its bookkeeping ids or nested objects.
    const detail = (e: TimelineEvent) => {
      const parts: string[] = [];
      for (const [k, v] of Object.entries(e)) {
        if (NOISE.has(k) || v === null || v === undefined || typeof v === 'object') continue;
        const text = String(v);
        parts.push(`${k}: ${text.length > 140 ? `${text.slice(0, 139)}…` : text}`);
        if (parts.length >= 5) break;
      }
      return parts.join(' · ');
    };
    return section(
      t('timeline'),
      'timeline',
      h(
        'ol',
        { class: 'timeline' },
        ...events.map((e) =>
          h(
            'li',
            { 'data-type': e.type },
            h('time', { datetime: e.at, title: dateTime(e.at) }, time(e.at)),
            ' ',
            h('code', {}, e.type),
            e.actor ? h('span', { class: 'actor' }, ' ', untrusted(e.actor)) : null,
            ' ',
            h('span', { class: 'detail' }, untrusted(detail(e))),
          ),
        ),
      ),
    );
  };

  const load = async () => {
    try {
      const [s, history, templates] = await Promise.all([
        api<State>('GET', base),
        api<{ events: TimelineEvent[] }>('GET', `${base}/history`).catch(() => ({ events: [] })),
        api<{ templates: Template[] }>('GET', `${base}/templates`).catch(() => ({ templates: [] })),
      ]);
      if (destroyed) return;
      // Polling asks often: redraw only what changed (a redraw would move the caret of a reply being typed).
      const signature = JSON.stringify([s, history.events.length, templates.templates.length]);
      if (signature === lastSignature) return;
      lastSignature = signature;
      const wasPending = pending;
      pending = s.escalations.find((e) => e.status === 'pending') ?? null;
      // Polling: the escalation this page showed was decided by someone else.
      if (wasPending && !pending && !deciding) {
        const rec = s.escalations.filter((e) => e.decidedBy).at(-1);
        if (rec?.decidedBy && rec.decidedBy.name !== me) showDecided(rec.decidedBy.name, STATUS_OF[rec.status] ?? rec.status);
      }
      const focused = document.activeElement?.id;
      const drafts = new Map([...main.querySelectorAll('textarea')].map((a) => [a.id, a.value]));
      const main_post = s.posts.find((p) => p.id === pending?.postId) ?? s.posts.at(-1);
      const tri = s.triage;
      const lang = tri?.language;
      const ordered = [...templates.templates].sort((a, b) => Number(b.language === lang) - Number(a.language === lang));
      replaceChildren(
        body,
        h(
          'div',
          { class: 'cols' },
          h(
            'div',
            {},
            main_post ? section(t('post'), 'post', postCard(main_post, lang)) : null,
            pending && !decidedElsewhere
              ? canDecide(pending.team)
                ? decisionForms(s, pending, ordered)
                : h('p', { class: 'muted', id: 'other-team' }, t('otherTeam', { team: pending.team }))
              : !pending
                ? h('p', { class: 'muted', id: 'no-pending' }, t('noPending'))
                : null,
            s.workflow.status === 'RUNNING' ? agentForms(s) : null,
          ),
          h(
            'div',
            {},
            section(
              t('triage'),
              'triage',
              facts([
                [t('status'), s.status],
                [t('policy'), s.policy ? `${s.policy.id} (${t('pack')} ${s.policy.version})` : '–'],
                [t('intent'), tri?.intent],
                [t('sentiment'), tri ? `${tri.sentiment.label} (${tri.sentiment.score.toFixed(2)})` : null],
                [t('reach'), tri?.reach],
                [t('languageOf'), lang],
                [t('addressed'), tri ? (tri.addressedToUs ? t('yes') : t('no')) : null],
                [t('risk'), tri?.risk.length ? tri.risk.join(', ') : null],
              ]),
              tri?.signals?.length
                ? h('ul', { class: 'signals', 'aria-label': t('signals') }, ...tri.signals.map((x) => h('li', {}, untrusted(x))))
                : null,
            ),
            thread(s),
            timeline(history.events),
          ),
        ),
      );
      for (const [areaId, value] of drafts) {
        const area = document.getElementById(areaId) as HTMLTextAreaElement | null;
        if (area && value) {
          area.value = value;
          area.dispatchEvent(new Event('input'));
        }
      }
      if (focused) document.getElementById(focused)?.focus();
    } catch (err) {
      if (!destroyed)
        replaceChildren(body, h('p', { class: 'error' }, err instanceof ApiError && err.status === 404 ? t('notFound') : problemText(err)));
    }
  };

  const unsubscribe = subscribe((e) => {
    if (e.type === 'escalation.decided' && e.data.interactionId === id) {
      // by is null when the escalation timed out or was cancelled: it just leaves.
      if (e.data.by && e.data.by !== me && !deciding) showDecided(e.data.by, e.data.decision);
      void load();
    } else if (e.type === 'presence' && e.data.interactionId === id) {
      const others = e.data.viewers.filter((v) => v.name !== me);
      presenceBar.textContent = others.length
        ? `${t('alsoHere')} ${others.map((v) => `${v.name} (${v.state === 'typing' ? t('typing') : t('viewing')})`).join(', ')}`
        : '';
    } else if (e.type === 'poll') void load();
  });
  presence('viewing');
  const presenceTimer = window.setInterval(() => presence('viewing'), PRESENCE_MS);
  void load();

  const focus = (elId: string) => {
    const el = document.getElementById(elId);
    if (!el) return false;
    el.focus();
    return true;
  };
  return {
    key(e) {
      if (e.key === 'a') return focus('reply');
      if (e.key === 'r') return focus('reject-note');
      if (e.key === 't') return focus('reassign-team');
      if (e.key === 'n') return focus('note');
      return false;
    },
    destroy() {
      destroyed = true;
      unsubscribe();
      window.clearInterval(presenceTimer);
      presence('left');
    },
  };
}
