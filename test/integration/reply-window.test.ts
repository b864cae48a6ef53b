// A channel with a reply window (Meta's 24 hours for messages; seconds here):
// a direct message opens it as its own timer; when nothing is published
// before it is about to close, the team deciding the escalation is told, and
// the closing is recorded. A message answered in time closes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { jsonLines } from '../helpers/files';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';

const run = temporalAvailable() ? describe : describe.skip;
const DECISIONS = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');

run('reply windows', () => {
  let server: DevServer;
  let svc: TestService;

  beforeAll(async () => {
    const [s, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    server = s;
    const pack = tempDir('window-pack');
    fs.cpSync(DECISIONS, pack, { recursive: true });
    fs.writeFileSync(
      path.join(pack, 'accounts.yaml'),
      'accounts:\n  - channel: twitter\n    handle: sprintcare\n    replyWindow: { within: 6s, escalateBefore: 4s }\nbrand:\n  names: [Sprint]\n',
    );
    fs.writeFileSync(
      path.join(pack, 'quiet.policy.yaml'),
      'id: quiet\npriority: 70\nwhen: { addressedToUs: true, text: { contains: [quiet] } }\nsteps:\n  - escalate: { team: customer-care, decideWithin: 1h }\n',
    );
    svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: pack });
  });

  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
  });

  const dm = (id: string, text: string) =>
    postJson(`${svc.url}/v1/posts`, {
      channel: 'twitter',
      id,
      direct: true,
      author: { id: `u-${id}`, handle: 'jane', name: 'Jane' },
      text,
      createdAt: new Date().toISOString(),
    });
  const events = async (id: string) =>
    ((await getJson(`${svc.url}/v1/interactions/twitter:${id}/history`)).body.events as Array<{ type: string; [k: string]: unknown }>) ??
    [];

  it('a direct message nobody answers: the deciding team is told before the window closes, and the closing is recorded', async () => {
    expect((await dm('rw-1', 'a quiet question about my contract')).status).toBe(202);
    const closed = await eventually(
      async () => {
        const e = await events('rw-1');
        return e.some((x) => x.type === 'reply-window.closed') ? e : null;
      },
      20_000,
      'the window closed',
    );
    const types = closed.map((e) => e.type);
    expect(types.indexOf('reply-window.opened')).toBeLessThan(types.indexOf('reply-window.closing'));
    expect(types.indexOf('reply-window.closing')).toBeLessThan(types.indexOf('reply-window.closed'));
    expect(closed.find((e) => e.type === 'reply-window.closing')).toMatchObject({ postId: 'rw-1', team: 'customer-care' });
    const note = jsonLines(svc.config.dataDir, 'notifications.jsonl').find(
      (n) => n.interactionId === 'twitter:rw-1' && n.kind === 'reply-window',
    );
    expect(note).toMatchObject({ team: 'customer-care' });
    expect(note!.message).toMatch(/^Reply to twitter:rw-1 before .*: twitter accepts no reply to this message after that \(6s window\)\.$/);
  });

  it('a direct message answered in time (an interim reply) does not escalate', async () => {
    expect((await dm('rw-2', 'my bill is wrong')).status).toBe(202);
    await eventually(async () => ((await getJson(`${svc.url}/v1/interactions/twitter:rw-2`)).body?.replies?.length === 1 ? true : null));
    await new Promise((r) => setTimeout(r, 7000));
    const types = (await events('rw-2')).map((e) => e.type);
    expect(types).toContain('reply-window.opened');
    expect(types).not.toContain('reply-window.closing');
    expect(types).not.toContain('reply-window.closed');
  });
});
