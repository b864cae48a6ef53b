// A reply longer than its channel allows is never cut and never retried: the
// publish activity refuses it (ReplyTooLong, non-retryable), the interaction
// records it and hands it to the team that owns it, and the next steps run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { jsonLines } from '../helpers/files';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { bearer, writeTokensFile, type TestUser } from '../helpers/tokens';

const carla: TestUser = { name: 'carla', token: 'tok-carla', teams: { 'customer-care': 'agent' } };

const run = temporalAvailable() ? describe : describe.skip;
const DECISIONS = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');

run('replies over the channel limit', () => {
  let server: DevServer;
  let svc: TestService;

  beforeAll(async () => {
    const [s, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    server = s;
    const pack = tempDir('limits-pack');
    fs.cpSync(DECISIONS, pack, { recursive: true });
    fs.writeFileSync(
      path.join(pack, 'templates.yaml'),
      `templates:
  interim-ack:
    en: "Hi {{author.name}}, ${'this is far too long for the channel. '.repeat(8)}"
  draft-answer:
    en: "Hi {{author.name}}, we have fixed your bill."
`,
    );
    const data = tempDir('limits-data');
    svc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: pack,
      dataDir: data,
      tokensFile: writeTokensFile(data, [carla]),
    });
  });

  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
  });

  it('the interim reply is refused as too long, recorded, handed to customer care, and the escalation still opens', async () => {
    const res = await postJson(`${svc.url}/v1/posts`, {
      channel: 'twitter',
      id: 'long-1',
      author: { id: 'u1', handle: 'jane', name: 'Jane' },
      text: '@sprintcare my bill is wrong',
      createdAt: new Date().toISOString(),
    });
    expect(res.status).toBe(202);
    const state = await eventually(async () => {
      const s = await getJson(`${svc.url}/v1/interactions/twitter:long-1`);
      return s.body?.status === 'awaiting-decision' ? s.body : null;
    });
    expect(state.replies).toHaveLength(0);
    expect(state.steps[0]).toMatchObject({ kind: 'interimReply', status: 'done', outcome: 'handed-over' });
    const history = await getJson(`${svc.url}/v1/interactions/twitter:long-1/history`);
    const tooLong = history.body.events.find((e: { type: string }) => e.type === 'reply.too-long');
    expect(tooLong).toMatchObject({ kind: 'interimReply', channel: 'twitter', limit: 280, unit: 'characters', handedTo: 'customer-care' });
    expect(tooLong.length).toBeGreaterThan(280);
    expect(tooLong.message).toMatch(/^the reply is \d+ characters long; twitter allows 280 characters \(\d+ too many\)$/);
    const notes = await eventually(async () => {
      const n = jsonLines(svc.config.dataDir, 'notifications.jsonl').filter((x) => x.interactionId === 'twitter:long-1');
      return n.some((x) => x.kind === 'reply-too-long') ? n : null;
    });
    expect(notes.find((x) => x.kind === 'reply-too-long')).toMatchObject({ team: 'customer-care' });
    expect(jsonLines(svc.config.dataDir, 'outbox.jsonl').filter((x) => x.interactionId === 'twitter:long-1')).toHaveLength(0);
  });

  it('an approval whose reply is over the limit is refused with 422 naming the field; a short one is published', async () => {
    const decide = (reply: string) =>
      postJson(`${svc.url}/v1/escalations/twitter:long-1/decision`, { decision: 'approve', reply }, bearer(carla));
    const tooLong = await decide('x'.repeat(281));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors).toEqual([{ field: 'reply', message: 'is 281 characters long; twitter allows 280 characters' }]);
    const ok = await decide('We fixed your bill.');
    expect(ok.status).toBe(200);
    expect(ok.body.reply.text).toBe('We fixed your bill.');
  });
});
