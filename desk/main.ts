// The care desk's entry: login, the header (navigation, language, live state,
// pause switch for leads), hash routing between the screens, and keyboard
// shortcuts. Screens live in views/; nothing here renders untrusted HTML.
import { api, ApiError, currentUser, isLead, login, logout, onLoggedOut, restore } from './api';
import { h, replaceChildren } from './dom';
import { LANGS, lang, setLang, t, type Key, type Lang } from './i18n';
import { startLive, stopLive, subscribe, type LiveState } from './live';
import { announce, problemText, type View } from './ui';
import { itemView } from './views/item';
import { queueView } from './views/queue';
import { customerView, searchView } from './views/search';

const main = document.getElementById('main')!;
const top = document.getElementById('top')!;
let view: View | null = null;
let liveState: LiveState = 'polling';
let signedIn = false;

interface Controls {
  paused: boolean;
  pauses: Array<{ key: string; by: { name: string } }>;
}

function header(): void {
  const user = currentUser();
  const langSelect = h(
    'select',
    {
      id: 'lang',
      onchange: (ev: Event) => {
        setLang((ev.target as HTMLSelectElement).value as Lang);
        header();
        route();
      },
    },
    ...LANGS.map((l) => h('option', { value: l, selected: l === lang() }, l === 'de' ? 'Deutsch' : 'English')),
  );
  const nav = signedIn
    ? h(
        'nav',
        { 'aria-label': t('title') },
        h('a', { href: '#/', 'aria-keyshortcuts': 'u' }, t('queue')),
        h('a', { href: '#/search', 'aria-keyshortcuts': '/' }, t('search')),
        h('button', { type: 'button', id: 'help', onclick: showHelp, 'aria-keyshortcuts': '?' }, t('shortcuts')),
      )
    : null;
  replaceChildren(
    top,
    h('span', { class: 'brand' }, 'Hearken · ', t('title')),
    nav,
    signedIn ? h('span', { id: 'pause', class: 'pause' }) : null,
    h('span', { class: 'spacer' }),
    signedIn
      ? h(
          'span',
          { id: 'live', class: `live ${liveState}` },
          t(liveState === 'live' ? 'live' : liveState === 'offline' ? 'offline' : 'polling'),
        )
      : null,
    signedIn && user ? h('span', { class: 'user' }, t('signedInAs', { name: user.name })) : null,
    h('label', { for: 'lang', class: 'sr-only' }, t('language')),
    langSelect,
    signedIn
      ? h(
          'button',
          {
            type: 'button',
            id: 'logout',
            onclick: () => {
              void logout().finally(() => loggedOut());
            },
          },
          t('logout'),
        )
      : null,
  );
  const skip = document.querySelector('.skip');
  if (skip) skip.textContent = t('skip');
  if (signedIn) void renderPause();
}

async function renderPause(): Promise<void> {
  const el = document.getElementById('pause');
  if (!el) return;
  let controls: Controls;
  try {
    controls = await api<Controls>('GET', '/v1/controls');
  } catch {
    return;
  }
  // Polling asks often: redraw only on a change (a redraw would drop keyboard focus).
  const signature = JSON.stringify(controls);
  if (el.dataset.signature === signature) return;
  el.dataset.signature = signature;
  const act = (path: string, body: unknown) => async () => {
    try {
      await api('POST', path, body);
      await renderPause();
    } catch (err) {
      announce(err instanceof ApiError && err.status === 403 ? t('notAllowed') : t('failed', { detail: problemText(err) }), 'error');
    }
  };
  const lead = isLead();
  replaceChildren(
    el,
    h('span', { class: controls.paused ? 'paused' : 'running', id: 'pause-state' }, controls.paused ? t('paused') : t('running')),
    lead && !controls.paused
      ? h('button', { type: 'button', id: 'pause-all', onclick: act('/v1/controls/pause', { note: 'care desk' }) }, t('pause'))
      : null,
    lead && controls.paused
      ? h(
          'button',
          { type: 'button', id: 'resume-release', onclick: act('/v1/controls/resume', { decision: 'release', all: true }) },
          t('resumeRelease'),
        )
      : null,
    lead && controls.paused
      ? h(
          'button',
          { type: 'button', id: 'resume-discard', onclick: act('/v1/controls/resume', { decision: 'discard', all: true }) },
          t('resumeDiscard'),
        )
      : null,
  );
}

function loginView(): void {
  const input = h('input', {
    id: 'token',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'aria-describedby': 'token-hint',
  }) as HTMLInputElement;
  const error = h('p', { id: 'login-error', class: 'error', role: 'alert' });
  replaceChildren(
    main,
    h('h1', {}, t('login')),
    h(
      'form',
      {
        id: 'login-form',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          login(input.value.trim())
            .then(() => signedInNow())
            .catch((err: unknown) => {
              error.textContent = err instanceof ApiError && err.status === 401 ? t('badToken') : problemText(err);
              input.focus();
            });
        },
      },
      h('p', { id: 'token-hint', class: 'muted' }, t('loginHint')),
      h('label', { for: 'token' }, t('token')),
      input,
      h('button', { type: 'submit', id: 'login' }, t('login')),
      error,
    ),
  );
  input.focus();
}

function signedInNow(): void {
  signedIn = true;
  startLive((s) => {
    liveState = s;
    const el = document.getElementById('live');
    if (el) {
      el.className = `live ${s}`;
      el.textContent = t(s === 'live' ? 'live' : s === 'offline' ? 'offline' : 'polling');
    }
  });
  header();
  route();
}

function loggedOut(): void {
  signedIn = false;
  stopLive();
  view?.destroy();
  view = null;
  header();
  loginView();
}

function route(): void {
  if (!signedIn) return loginView();
  view?.destroy();
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'i' && parts[1]) view = itemView(main, parts[1]);
  else if (parts[0] === 'search') view = searchView(main, new URLSearchParams(query));
  else if (parts[0] === 'c' && parts[1] && parts[2]) view = customerView(main, parts[1], parts[2]);
  else view = queueView(main);
  document.title = `${t('title')} · Hearken`;
}

const HELP: Array<[string, Key]> = [
  ['j / k', 'k_next'],
  ['o / Enter', 'k_open'],
  ['a', 'k_approve'],
  ['Ctrl+Enter', 'k_send'],
  ['r', 'k_reject'],
  ['t', 'k_reassign'],
  ['n', 'k_note'],
  ['/', 'k_search'],
  ['u / Esc', 'k_queue'],
  ['?', 'k_help'],
];

function showHelp(): void {
  const dialog = h(
    'dialog',
    { id: 'help-dialog', 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title' }, t('shortcuts')),
    h('dl', { class: 'facts' }, ...HELP.flatMap(([k, key]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, t(key))])),
    h('form', { method: 'dialog' }, h('button', { type: 'submit', id: 'help-close' }, t('close'))),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

document.addEventListener('keydown', (e) => {
  if (!signedIn || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target as HTMLElement;
  const typing = target.closest('input, textarea, select, [contenteditable]') !== null;
  if (e.key === 'Escape') {
    if (typing) (target as HTMLElement).blur();
    else if (!document.querySelector('dialog[open]')) location.hash = '#/';
    return;
  }
  if (typing || document.querySelector('dialog[open]')) return;
  if (view?.key?.(e)) {
    e.preventDefault();
    return;
  }
  if (e.key === '/') location.hash = '#/search';
  else if (e.key === 'u') location.hash = '#/';
  else if (e.key === '?') showHelp();
  else return;
  e.preventDefault();
});

window.addEventListener('hashchange', () => {
  route();
  main.focus({ preventScroll: true });
});
onLoggedOut(loggedOut);
subscribe((e) => {
  if (e.type === 'controls' || e.type === 'poll') void renderPause();
  if (e.type === 'status')
    announce(e.data.temporal === 'ok' ? t('temporalBack') : t('temporalDown'), e.data.temporal === 'ok' ? 'info' : 'error');
});

setLang(lang());
header();
void restore().then((ok) => (ok ? signedInNow() : loggedOut()));
