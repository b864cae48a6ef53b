// The fault-injection suite's own parts that decide its verdict without a
// server: the flaky channel and the duplicate-publish count over the outbox.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutboxChannel } from '../../src/channels/outbox';
import { FlakyChannel, type InjectedFault } from '../../bench/chaos/sut/flaky-channel';
import { countDuplicateLines, duplicatePublishes, readOutbox, type OutboxLine } from '../../bench/chaos/lib/verdict';

const reply = (key: string) => ({
  interactionId: 'twitter:1',
  postId: '1',
  channel: 'twitter',
  inReplyTo: '1',
  text: 'hi',
  idempotencyKey: key,
});

describe('the flaky channel', () => {
  it('when a publish fails after the reply went out, the retry finds it by key and the outbox holds one line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-flaky-'));
    const faults: InjectedFault[] = [];
    const rolls = [0.2, 0.9]; // first call: "after" (0.15 ≤ r < 0.3), then healthy
    const channel = new FlakyChannel(new OutboxChannel(dir), {
      failRate: 0.3,
      random: () => rolls.shift()!,
      onFault: (f) => faults.push(f),
    });
    await expect(channel.publish(reply('twitter:1/1/steps[0].interimReply'))).rejects.toThrow(/answer was lost/);
    const retry = await channel.publish(reply('twitter:1/1/steps[0].interimReply'));
    expect(retry.duplicate).toBe(true);
    expect(faults.map((f) => f.when)).toEqual(['after']);
    expect(readOutbox(dir).lines).toHaveLength(1);
  });

  it('when a publish fails before anything went out, nothing is in the outbox', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-flaky-'));
    const channel = new FlakyChannel(new OutboxChannel(dir), { failRate: 0.3, random: () => 0.1 });
    await expect(channel.publish(reply('k'))).rejects.toThrow(/nothing was published/);
    expect(readOutbox(dir).lines).toHaveLength(0);
  });
});

describe('duplicate publishes', () => {
  const line = (interactionId: string, key: string): OutboxLine => ({ interactionId, idempotencyKey: key, text: 't', publishedAt: 'x' });
  const ids = new Set(['twitter:a', 'twitter:b']);

  it('counts a key published twice, and one step published under two keys', () => {
    const lines = [
      line('twitter:a', 'twitter:a/a/steps[0].interimReply'),
      line('twitter:a', 'twitter:a/a/steps[0].interimReply'), // same key
      line('twitter:b', 'twitter:b/b/steps[0].reply'),
      line('twitter:b', 'twitter:b/b-retry/steps[0].reply'), // same step, another key
      line('twitter:b', 'twitter:b/b/steps[1].escalate/approved'),
    ];
    expect(countDuplicateLines(lines, ids)).toBe(2);
    expect(duplicatePublishes(lines, ids).map((d) => d.kind)).toEqual(['sameKey', 'sameStep']);
  });

  it('ignores interactions of other scenarios', () => {
    const lines = [line('twitter:z', 'twitter:z/z/steps[0].reply'), line('twitter:z', 'twitter:z/z/steps[0].reply')];
    expect(countDuplicateLines(lines, ids)).toBe(0);
  });
});
