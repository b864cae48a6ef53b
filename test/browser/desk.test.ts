// The care desk in a real browser (Debian's Chromium through playwright-core),
// against the real service on a real Temporal dev server: log in, live queue,
// approve / reject / reassign, team boundaries, a race between two agents,
// hostile post texts, keyboard-only use and an axe scan. It also takes the
// README's screenshots (docs/desk-*.png), so they show the page as it is.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { buildDesk } from '../../scripts/build-desk.mjs';
import { launchChromium } from '../helpers/browser';
import { jsonLines } from '../helpers/files';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, tempDir } from '../helpers/temporal';
import { bearer, writeTokensFile, type TestUser } from '../helpers/tokens';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');
const DOCS = path.resolve(import.meta.dirname, '../../docs');

const carla: TestUser = { name: 'carla', token: 'tok-carla-agent-desk', teams: { 'customer-care': 'agent' } };
const lena: TestUser = { name: 'lena', token: 'tok-lena-lead-desk', teams: { 'customer-care': 'lead', 'duty-manager': 'lead' } };
const bill: TestUser = { name: 'bill', token: 'tok-bill-agent-desk', teams: { billing: 'agent' } };

describe('care desk in a browser', { timeout: 90_000 }, () => {
  let server: DevServer;
  let svc: TestService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let n = 0;

  const outbox = (id: string) => jsonLines(svc.config.dataDir, 'outbox.jsonl').filter((l) => l.interactionId === id);
  const capture = async (text: string, author: { id?: string; handle?: string; name?: string; followers?: number } = {}) => {
    const id = `desk-${Date.now()}-${++n}`;
    const res = await postJson(`${svc.url}/v1/posts`, {
      channel: 'twitter',
      id,
      author: { id: `cust-${id}`, handle: 'jane', name: 'Jane', followers: 1234, ...author },
      text,
      language: 'en',
      url: `https://twitter.example/jane/status/${id}`,
      createdAt: new Date().toISOString(),
    });
    expect(res.status).toBe(202);
    return res.body.interactionId as string;
  };
  const pending = (id: string) =>
    eventually(
      async () => {
        const res = await getJson(`${svc.url}/v1/interactions/${id}`);
        return res.body?.escalations?.find((e: { status: string }) => e.status === 'pending');
      },
      30_000,
      `${id} escalated`,
    );
  const row = (page: Page, id: string) => page.locator(`#queue li[data-id="${id}"]`);

  async function openDesk(user: TestUser, locale = 'en-GB'): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${svc.url}/desk/`);
    await page.fill('#token', user.token);
    await page.click('#login');
    await page.locator('#logout').waitFor();
    await page.locator('#queue').waitFor({ state: 'attached' });
    return page;
  }

  beforeAll(async () => {
    await buildDesk();
    browser = await launchChromium();
    const tokensFile = writeTokensFile(tempDir('desk-tokens'), [carla, lena, bill]);
    let bundle;
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: PACK, tokensFile });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await svc?.stop();
    await server?.stop();
  });

  it('is served with a strict CSP, refuses a bad token, and measures its weight', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    const started = Date.now();
    const res = await page.goto(`${svc.url}/desk/`);
    const csp = res!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.locator('#token:focus').waitFor();
    const interactiveMs = Date.now() - started;
    const weight = await page.evaluate(`(() => {
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
      return { bytes: entries.reduce((s, e) => s + (e.transferSize || e.encodedBodySize || 0), 0), urls: entries.map((e) => e.name),
        domInteractive: performance.getEntriesByType('navigation')[0].domInteractive };
    })()`);
    const w = weight as { bytes: number; urls: string[]; domInteractive: number };
    // Everything comes from this origin (the CSP allows nothing else).
    for (const u of w.urls) expect(new URL(u).origin).toBe(new URL(svc.url).origin);
    console.log(
      `care desk: ${(w.bytes / 1024).toFixed(1)} KB transferred, login form interactive after ${interactiveMs} ms (domInteractive ${w.domInteractive.toFixed(0)} ms)`,
    );

    await page.fill('#token', 'not-a-token');
    await page.click('#login');
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('not accepted');
  });

  it('an escalation appears live; approving it with edited text publishes once and shows in the timeline', async () => {
    const page = await openDesk(carla);
    // Logged in by an HttpOnly, SameSite=Strict cookie; the token is not kept in the page.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'hearken_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate('JSON.stringify(sessionStorage) + document.cookie')).not.toContain(carla.token);
    // A change without the CSRF token is refused, even with the cookie.
    const noCsrf = await page.evaluate(
      `fetch('/v1/controls/pause', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)`,
    );
    expect(noCsrf).toBe(403);
    // Server-Sent Events, not polling.
    await page.locator('#live.live').waitFor();
    const id = await capture('@sprintcare my bill is wrong, please check');
    await row(page, id).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.teams li[data-team="customer-care"] strong').textContent()).not.toBe('0');
    await page.screenshot({ path: path.join(DOCS, 'desk-queue.png') });

    await row(page, id).locator('a').click();
    const reply = page.locator('#reply');
    // The draft is prefilled as the customer will read it: the template's {{author.name}} filled in.
    await expect.poll(() => reply.inputValue()).toBe('Hi Jane, we have fixed your bill.');
    expect(await page.locator('#draft-hint').count()).toBe(0);
    await expect.poll(() => page.locator('#reply-count').textContent()).toMatch(/of 280 characters/);
    await expect.poll(() => page.locator('#post').textContent()).toContain('1,234 followers');
    await expect.poll(() => page.locator('#triage').textContent()).toContain('billing');
    await page.screenshot({ path: path.join(DOCS, 'desk-item.png'), fullPage: true });

    await reply.fill('Hi Jane, your bill is corrected: 12.50 EUR back this week.');
    await page.click('#approve');
    await eventually(
      async () => outbox(id).some((l) => l.text.startsWith('Hi Jane, your bill is corrected')),
      20_000,
      'approved reply published',
    );
    await page.locator('#timeline li[data-type="escalation.decided"]').waitFor();
    await page.locator('#timeline').screenshot({ path: path.join(DOCS, 'desk-timeline.png') });
    expect(outbox(id).filter((l) => l.text.startsWith('Hi Jane, your bill is corrected'))).toHaveLength(1);

    await page.click('a.back');
    await row(page, id).waitFor({ state: 'detached' });
  });

  it('rejects with a note, and a lead reassigns to another team', async () => {
    const page = await openDesk(lena);
    const rejected = await capture('@sprintcare bill is doubled');
    const moved = await capture('@sprintcare a bill for the duty manager');
    await pending(rejected);
    await pending(moved);

    await page.goto(`${svc.url}/desk/#/i/${encodeURIComponent(rejected)}`);
    await page.fill('#reject-note', 'Duplicate of an open case');
    await page.click('#reject');
    await page.locator('#no-pending').waitFor();
    await page.locator('#timeline li[data-type="escalation.decided"]').waitFor();
    expect(await page.locator('#timeline').textContent()).toContain('Duplicate of an open case');
    expect(outbox(rejected).map((l) => l.text)).toEqual(["Hi Jane, we're on it."]);

    await page.goto(`${svc.url}/desk/#/i/${encodeURIComponent(moved)}`);
    await page.fill('#reassign-team', 'duty-manager');
    await page.click('#reassign');
    const state = await eventually(
      async () => {
        const res = await getJson(`${svc.url}/v1/interactions/${moved}`);
        return res.body.escalations.find((e: { status: string; team: string }) => e.status === 'pending' && e.team === 'duty-manager');
      },
      20_000,
      'reassigned to duty-manager',
    );
    expect(state.team).toBe('duty-manager');
    await page.click('a.back');
    await row(page, moved).waitFor();
    expect(await row(page, moved).textContent()).toContain('duty-manager');
  });

  it("another team's escalation is not shown, and deciding it is refused with 403", async () => {
    const id = await capture('@sprintcare bill for another team');
    await pending(id);
    const page = await openDesk(bill);
    await expect.poll(() => page.locator('.empty').isVisible()).toBe(true);
    expect(await row(page, id).count()).toBe(0);
    await page.goto(`${svc.url}/desk/#/i/${encodeURIComponent(id)}`);
    await page.locator('#other-team').waitFor();
    expect(await page.locator('#approve').count()).toBe(0);
    // Even with the session's cookie and CSRF token, the API refuses.
    const status = await page.evaluate(`fetch('/v1/session').then((r) => r.json()).then((s) =>
      fetch('/v1/escalations/${id}/decision', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken },
        body: JSON.stringify({ decision: 'approve' }) })).then((r) => r.status)`);
    expect(status).toBe(403);
    const api = await postJson(`${svc.url}/v1/escalations/${id}/decision`, { decision: 'approve' }, bearer(bill));
    expect(api.status).toBe(403);
    expect(outbox(id)).toHaveLength(1); // the interim reply only
  });

  it('two agents decide the same item: one wins, the other is told who', async () => {
    const id = await capture('@sprintcare bill race');
    await pending(id);
    const [a, b] = [await openDesk(carla), await openDesk(lena)];
    for (const p of [a, b]) {
      await p.goto(`${svc.url}/desk/#/i/${encodeURIComponent(id)}`);
      await p.locator('#approve').waitFor();
    }
    // Presence: each sees the other, viewing, then typing.
    await expect.poll(() => a.locator('#presence').textContent(), { timeout: 15_000 }).toContain('lena (viewing)');
    await a.fill('#reply', 'Answer from carla');
    await b.fill('#reply', 'Answer from lena');
    await expect.poll(() => a.locator('#presence').textContent(), { timeout: 15_000 }).toContain('lena (typing)');
    await expect.poll(() => b.locator('#presence').textContent(), { timeout: 15_000 }).toContain('carla (typing)');
    await Promise.all([a.click('#approve'), b.click('#approve')]);
    await eventually(async () => outbox(id).some((l) => l.text.startsWith('Answer from')), 20_000, 'one answer published');
    const winner = outbox(id)
      .find((l) => l.text.startsWith('Answer from'))!
      .text.slice('Answer from '.length);
    const loser = winner === 'carla' ? b : a;
    await expect.poll(() => loser.locator('#decided').textContent(), { timeout: 15_000 }).toContain(winner);
    expect(outbox(id).filter((l) => l.text.startsWith('Answer from'))).toHaveLength(1);
  });

  it('shows hostile post texts inertly', async () => {
    const hostile = '@sprintcare bill <script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> \u202Egnp.exe';
    const id = await capture(hostile, { name: '<img src=y onerror="window.__pwned=3">\u202Eevil', handle: 'j<b>ane' });
    await pending(id);
    const page = await openDesk(carla);
    await row(page, id).waitFor({ timeout: 30_000 });
    expect(await row(page, id).textContent()).toContain('<script>window.__pwned=1</script>');
    expect(await page.locator('#main img, #main script').count()).toBe(0);
    await page.goto(`${svc.url}/desk/#/i/${encodeURIComponent(id)}`);
    const post = page.locator('#post article.post');
    await post.waitFor();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('#main img, #main script, #main b').count()).toBe(0);
    const text = (await post.textContent()) ?? '';
    expect(text).toContain('<script>window.__pwned=1</script>');
    expect(text).toContain('<img src=y onerror="window.__pwned=3">');
    // The override is shown as a visible mark, not obeyed.
    expect(await post.locator('.ctl[title="U+202E"]').count()).toBe(2);
    expect(text).not.toContain('\u202E');
  });

  it('the whole flow works by keyboard alone', async () => {
    const id = await capture('@sprintcare keyboard bill');
    await pending(id);
    const context = await browser.newContext({ locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${svc.url}/desk/`);
    await page.locator('#token:focus').waitFor();
    await page.keyboard.type(carla.token);
    await page.keyboard.press('Enter');
    await row(page, id).waitFor({ timeout: 30_000 });
    // Select the row with j/k, open it with o.
    const count = await page.locator('#queue li').count();
    const index = await page.locator('#queue li').evaluateAll((els, want) => els.findIndex((e) => e.getAttribute('data-id') === want), id);
    for (let i = 0; i < index; i++) await page.keyboard.press('j');
    expect(count).toBeGreaterThan(index);
    await page.keyboard.press('o');
    await page.locator('#reply').waitFor();
    await page.keyboard.press('a');
    await page.locator('#reply:focus').waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Typed without a mouse.');
    await page.keyboard.press('Control+Enter');
    await eventually(async () => outbox(id).some((l) => l.text === 'Typed without a mouse.'), 20_000, 'keyboard approval published');
    await page.locator('#no-pending').waitFor();
    await page.keyboard.press('u');
    await row(page, id).waitFor({ state: 'detached' });
    await page.keyboard.press('?');
    await page.locator('#help-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#help-dialog').waitFor({ state: 'detached' });
  });

  it('an agent answers an open interaction (published once, in the timeline) and adds an internal note (never published)', async () => {
    const id = await capture('@sprintcare bill question for an agent');
    await pending(id);
    const page = await openDesk(carla);
    await page.goto(`${svc.url}/desk/#/i/${encodeURIComponent(id)}`);
    await page.fill('#agent-reply', 'Hi Jane, an agent here: we are checking your bill.');
    await expect.poll(() => page.locator('#agent-reply-count').textContent()).toMatch(/of 280 characters/);
    await page.click('#agent-send');
    await page.locator('#timeline li[data-type="agent.replied"]').waitFor({ timeout: 20_000 });
    expect(outbox(id).filter((l) => l.text === 'Hi Jane, an agent here: we are checking your bill.')).toHaveLength(1);
    expect(await page.locator('#agent-reply').inputValue()).toBe('');
    await page.fill('#note', 'Internal: customer called twice');
    await page.click('#add-note');
    await page.locator('#timeline li[data-type="note.added"]', { hasText: 'Internal: customer called twice' }).waitFor({ timeout: 20_000 });
    expect(outbox(id).some((l) => String(l.text).includes('Internal'))).toBe(false);
  });

  it('canned replies: a template of the pack, filled in for this customer, still editable before approving', async () => {
    const id = await capture('@sprintcare bill needs a canned reply', { name: 'Jana' });
    await pending(id);
    const page = await openDesk(carla);
    await page.goto(`${svc.url}/desk/#/i/${encodeURIComponent(id)}`);
    const option = page.locator('#template option', { hasText: 'periodic-update (en)' });
    await option.waitFor({ state: 'attached' });
    await page.selectOption('#template', (await option.getAttribute('value'))!);
    await expect.poll(() => page.locator('#reply').inputValue()).toBe('Still working on it, Jana.');
    await page.locator('#reply').press('End');
    await page.keyboard.type(' Thanks for waiting!');
    await page.click('#approve');
    await eventually(
      async () => outbox(id).some((l) => l.text === 'Still working on it, Jana. Thanks for waiting!'),
      20_000,
      'canned reply published',
    );
  });

  it('search finds interactions by policy and status, and a customer profile lists theirs', async () => {
    const id = await capture('@sprintcare bill for the search', { id: 'cust-search-1', handle: 'searcher', name: 'Sam' });
    await pending(id);
    const page = await openDesk(carla);
    await page.goto(`${svc.url}/desk/#/search`);
    await page.fill('#s-policy', 'billing');
    await page.selectOption('#s-status', 'awaiting-decision');
    await page.click('#search-form button[type=submit]');
    const link = page.locator('#results a', { hasText: id });
    await link.first().waitFor({ timeout: 20_000 });
    await page.locator('#results a', { hasText: 'twitter:cust-search-1' }).first().click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('twitter:cust-search-1');
    await page.locator('#customer-results a', { hasText: id }).waitFor({ timeout: 20_000 });
  });

  it('a lead pauses automatic publishing from the header and resumes it; an agent has no switch', async () => {
    const agent = await openDesk(carla);
    await agent.locator('#pause-state').waitFor();
    expect(await agent.locator('#pause-all').count()).toBe(0);
    const page = await openDesk(lena);
    await page.click('#pause-all');
    await expect.poll(() => page.locator('#pause-state').textContent()).toContain('PAUSED');
    expect((await getJson(`${svc.url}/v1/controls`)).body.paused).toBe(true);
    await page.click('#resume-release');
    await expect.poll(() => page.locator('#pause-state').textContent()).not.toContain('PAUSED');
    expect((await getJson(`${svc.url}/v1/controls`)).body.paused).toBe(false);
  });

  it('German from the browser language, switchable to English', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${svc.url}/desk/`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmelden');
    await page.selectOption('#lang', 'en');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Log in');
  });

  it('an axe scan finds no serious or critical violations', async () => {
    const id = await capture('@sprintcare bill for the accessibility check');
    await pending(id);
    const page = await openDesk(carla);
    const serious = async (where: string) => {
      const result = await new AxeBuilder({ page }).analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    };
    await row(page, id).waitFor({ timeout: 30_000 });
    await serious('queue');
    await page.goto(`${svc.url}/desk/#/i/${encodeURIComponent(id)}`);
    await page.locator('#approve').waitFor();
    await page.locator('#timeline li').first().waitFor();
    await serious('item');
    await page.goto(`${svc.url}/desk/#/search?status=awaiting-decision`);
    await page.locator('#results table, #results .empty').first().waitFor();
    await serious('search');

    // Approved unchanged, the draft is published as the policy drafted it (template filled in).
    await page.goto(`${svc.url}/desk/#/i/${encodeURIComponent(id)}`);
    await page.click('#approve');
    await eventually(async () => outbox(id).some((l) => l.text === 'Hi Jane, we have fixed your bill.'), 20_000, 'drafted reply published');
  });
});
