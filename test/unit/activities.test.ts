// The activities at the edge of the workflow: what they publish, whom they
// tell, and what of it may reach Temporal's history (issue 11: a, b, e, f).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, NOTIFY_WEBHOOK_ATTEMPTS, type NotifyOutput, type PublishInput } from '../../src/activities';
import type { ChannelAdapter, OutgoingReply } from '../../src/channels/channel';
import { Notifier } from '../../src/channels/notifier';
import { loadPack } from '../../src/policy/pack/load-pack';
import { compilePolicies } from '../../src/policy/engine/select';
import { registry } from '../../src/runtime/metrics';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import type { PolicyPack } from '../../src/policy/types';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/trust');
const SECRET = 'T0P-SECRET-unit';

class RecordingChannel implements ChannelAdapter {
  readonly name = 'recording';
  readonly sent: OutgoingReply[] = [];
  publish(reply: OutgoingReply) {
    this.sent.push(reply);
    return Promise.resolve({
      reply: { ...reply, messageId: `m-${this.sent.length}`, publishedAt: new Date().toISOString() },
      duplicate: false,
    });
  }
}

describe('activities', () => {
  let pack: PolicyPack;
  let hooks: http.Server;
  let hookUrl: string;
  const received: string[] = [];
  const env = { ...process.env };

  const make = (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'activities-'))) => {
    const channel = new RecordingChannel();
    const notifier = new Notifier(dataDir);
    const activities = createActivities({
      packs: { current: () => pack, compiled: () => compilePolicies(pack.policies) },
      channel,
      notifier,
    });
    return { channel, notifier, activities, dataDir };
  };
  const publishInput = (text: string, verbatim?: boolean): PublishInput => ({
    interactionId: 'twitter:1',
    post: { id: '1', channel: 'twitter', author: { name: 'Jane', handle: 'jane' } },
    text,
    ...(verbatim !== undefined ? { verbatim } : {}),
    vars: { deadlines: {}, timezone: 'UTC', language: 'en' },
    idempotencyKey: `k-${text}`,
  });

  beforeAll(async () => {
    hooks = http.createServer((req, res) => {
      received.push(req.url ?? '');
      req.resume();
      req.on('end', () => {
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks/${SECRET}`;
    process.env.HEARKEN_TEST_SECRET_WEBHOOK = hookUrl;
    // A free port nobody listens on: the connection is refused.
    process.env.HEARKEN_TEST_DOWN_WEBHOOK = `http://127.0.0.1:${await pickFreePort()}/down/${SECRET}`;
    const loaded = await loadPack(PACK);
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    pack = loaded.pack;
  });
  afterAll(async () => {
    process.env = env;
    await new Promise<void>((r) => hooks.close(() => r()));
  });

  describe('publishReply', () => {
    it("publishes a person's own text verbatim: {{promo}} stays and an unclosed {{ is no error", async () => {
      const { activities, channel } = make();
      const text = 'Use {{promo}} at checkout, and {{ this too';
      const out = await activities.publishReply(publishInput(text, true));
      expect(out.text).toBe(text);
      expect(channel.sent.map((r) => r.text)).toEqual([text]);
    });

    it('renders policy templates', async () => {
      const { activities } = make();
      expect((await activities.publishReply(publishInput('Hi {{author.name}}!'))).text).toBe('Hi Jane!');
    });

    it('a template that does not render fails for good, instead of retrying forever', async () => {
      const { activities, channel } = make();
      const err = await activities.publishReply(publishInput('Hi {{author.name')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'TemplateError', nonRetryable: true });
      expect(channel.sent).toEqual([]);
    });
  });

  describe('assessPost', () => {
    it("puts no team webhook in the plan (it is stored in the workflow's history), and says when one of our accounts wrote the post", async () => {
      const { activities } = make();
      const post = {
        channel: 'twitter',
        id: 'p1',
        author: { id: 'c', handle: 'jane' },
        text: '@sprintcare secretdesk',
        createdAt: new Date().toISOString(),
      };
      const result = await activities.assessPost({ interactionId: 'twitter:p1', post });
      expect(result.plan.teams['secret-desk']).toEqual({ calendar: 'always' });
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(result.fromUs).toBe(false);
      const ours = await activities.assessPost({
        interactionId: 'twitter:p1',
        post: { ...post, id: 'p2', author: { handle: '@SprintCare' } },
      });
      expect(ours.fromUs).toBe(true);
      const elsewhere = await activities.assessPost({
        interactionId: 'mastodon:p1',
        post: { ...post, channel: 'mastodon', id: 'p3', author: { handle: 'sprintcare' } },
      });
      expect(elsewhere.fromUs).toBe(false);
    });
  });

  describe('notifyTeam', () => {
    const note = (team: string, key: string) => ({
      interactionId: 'twitter:1',
      team,
      kind: 'escalation',
      message: 'decide',
      idempotencyKey: key,
    });

    it("looks the team's webhook up in the current pack when it sends", async () => {
      const { activities } = make();
      const out = await new MockActivityEnvironment().run(activities.notifyTeam, note('secret-desk', 'n-1'));
      expect(out).toEqual({ via: 'webhook', sentAt: expect.any(String) });
      expect(received.at(-1)).toBe(`/hooks/${SECRET}`);
    });

    it('a webhook that is down fails its first attempts without naming the URL, then falls back to notifications.jsonl and is counted', async () => {
      const { activities, dataDir } = make();
      for (let attempt = 1; attempt < NOTIFY_WEBHOOK_ATTEMPTS; attempt++) {
        const err = await new MockActivityEnvironment({ attempt })
          .run(activities.notifyTeam, note('on-call', 'n-2'))
          .catch((e: unknown) => e);
        expect(err).toMatchObject({ type: 'WebhookFailed', nonRetryable: false, message: 'webhook for team on-call failed: ECONNREFUSED' });
      }
      expect(fs.existsSync(path.join(dataDir, 'notifications.jsonl'))).toBe(false);
      const out: NotifyOutput = await new MockActivityEnvironment({ attempt: NOTIFY_WEBHOOK_ATTEMPTS }).run(
        activities.notifyTeam,
        note('on-call', 'n-2'),
      );
      expect(out).toMatchObject({
        via: 'file',
        webhookError: 'webhook for team on-call failed: ECONNREFUSED',
        attempts: NOTIFY_WEBHOOK_ATTEMPTS,
      });
      const lines = fs.readFileSync(path.join(dataDir, 'notifications.jsonl'), 'utf8');
      expect(JSON.parse(lines)).toMatchObject({ team: 'on-call', via: 'file', idempotencyKey: 'n-2', webhookError: out.webhookError });
      expect(lines).not.toContain(SECRET);
      expect(await registry.getSingleMetricAsString('hearken_notification_failures_total')).toMatch(
        /hearken_notification_failures_total\{team="on-call",kind="escalation"\} 1/,
      );
    });
  });
});

describe('Notifier errors', () => {
  it('never quote the webhook URL, whatever fetch says', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-'));
    const bad = `not a url/${SECRET}`;
    const err = await new Notifier(dir)
      .send({ interactionId: 'i', team: 't', kind: 'k', message: 'm', idempotencyKey: 'x' }, bad)
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('webhook for team t failed: ERR_INVALID_URL');
    expect(JSON.stringify(err)).not.toContain(SECRET);
    const leaky = new Notifier(dir, () => Promise.reject(new TypeError(`Failed to parse URL from ${bad}`)));
    const err2 = await leaky
      .send({ interactionId: 'i', team: 't', kind: 'k', message: 'm', idempotencyKey: 'y' }, bad)
      .catch((e: unknown) => e);
    expect((err2 as Error).message).not.toContain(SECRET);
  });
});
