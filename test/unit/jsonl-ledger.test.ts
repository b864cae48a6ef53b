import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlLedger } from '../../src/channels/jsonl-ledger';
import { OutboxChannel } from '../../src/channels/outbox';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-ledger-'));
const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('JsonlLedger', () => {
  it('writes each idempotency key once, even from a fresh instance after a restart', async () => {
    const file = path.join(tmp(), 'x.jsonl');
    const a = new JsonlLedger<{ idempotencyKey: string; n: number }>(file);
    expect((await a.append({ idempotencyKey: 'k1', n: 1 })).duplicate).toBe(false);
    expect((await a.append({ idempotencyKey: 'k1', n: 2 })).duplicate).toBe(true);
    const restarted = new JsonlLedger<{ idempotencyKey: string; n: number }>(file);
    const again = await restarted.append({ idempotencyKey: 'k1', n: 3 });
    expect(again).toEqual({ record: { idempotencyKey: 'k1', n: 1 }, duplicate: true });
    expect(lines(file)).toHaveLength(1);
  });

  it('concurrent appends of the same key from two instances (two workers) write one line', async () => {
    const file = path.join(tmp(), 'x.jsonl');
    const a = new JsonlLedger<{ idempotencyKey: string }>(file);
    const b = new JsonlLedger<{ idempotencyKey: string }>(file);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append({ idempotencyKey: `k${i % 5}` })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(5);
    expect(lines(file)).toHaveLength(5);
  });

  it('a torn last line from a crash is skipped and the next record starts on a new line', async () => {
    const file = path.join(tmp(), 'x.jsonl');
    fs.writeFileSync(file, '{"idempotencyKey":"ok"}\n{"idempotencyKey":"tor');
    const ledger = new JsonlLedger<{ idempotencyKey: string }>(file);
    expect((await ledger.append({ idempotencyKey: 'ok' })).duplicate).toBe(true);
    expect((await ledger.append({ idempotencyKey: 'next' })).duplicate).toBe(false);
    const all = lines(file);
    expect(all[all.length - 1]).toBe('{"idempotencyKey":"next"}');
    expect(all).toHaveLength(3);
  });
});

describe('OutboxChannel', () => {
  it('gives a retried publish the same message id and publishes once', async () => {
    const dir = tmp();
    const outbox = new OutboxChannel(dir);
    const reply = {
      interactionId: 'twitter:1',
      postId: '1',
      channel: 'twitter',
      inReplyTo: '1',
      text: 'Hi',
      idempotencyKey: 'twitter:1/1/steps[0]',
    };
    const first = await outbox.publish(reply);
    const retry = await new OutboxChannel(dir).publish({ ...reply, text: 'Hi again' });
    expect(retry.duplicate).toBe(true);
    expect(retry.reply.messageId).toBe(first.reply.messageId);
    expect(retry.reply.text).toBe('Hi');
    expect(lines(path.join(dir, 'outbox.jsonl'))).toHaveLength(1);
  });
});

describe('JsonlLedger.rewrite (erasing a customer)', () => {
  type Rec = { idempotencyKey: string; who: string; text: string };

  it('redacts lines in place and keeps their keys: another process that read the file before still sends nothing twice', async () => {
    const file = path.join(tmp(), 'outbox.jsonl');
    const worker = new JsonlLedger<Rec>(file);
    await worker.append({ idempotencyKey: 'k1', who: 'jane', text: 'Hi Jane MARKER' });
    await worker.append({ idempotencyKey: 'k2', who: 'bob', text: 'Hi Bob' });
    expect(await worker.get('k1')).toMatchObject({ text: 'Hi Jane MARKER' });

    const cli = new JsonlLedger<Rec>(file);
    const done = await cli.rewrite(({ record }) => (record?.who === 'jane' ? { replace: { ...record, text: '' } } : 'keep'));
    expect(done).toEqual({ changed: 1, lines: 2 });
    expect(fs.readFileSync(file, 'utf8')).not.toContain('MARKER');

    // The worker's next read finds the new file: the redacted record, and the key still there.
    expect(await worker.get('k1')).toEqual({ idempotencyKey: 'k1', who: 'jane', text: '' });
    expect((await worker.append({ idempotencyKey: 'k1', who: 'jane', text: 'Hi Jane MARKER' })).duplicate).toBe(true);
    expect((await worker.append({ idempotencyKey: 'k3', who: 'bob', text: 'Bye' })).duplicate).toBe(false);
    expect(lines(file).map((l) => JSON.parse(l).idempotencyKey)).toEqual(['k1', 'k2', 'k3']);
  });

  it('drops a torn line that names the customer, and leaves the file alone when nothing changes', async () => {
    const file = path.join(tmp(), 'notifications.jsonl');
    fs.writeFileSync(file, '{"idempotencyKey":"a","who":"bob","text":"x"}\n{"idempotencyKey":"b","who":"jane","text":"MARK');
    const ledger = new JsonlLedger<Rec>(file);
    const before = fs.statSync(file).ino;
    expect(await ledger.rewrite(() => 'keep')).toEqual({ changed: 0, lines: 2 });
    expect(fs.statSync(file).ino).toBe(before);
    expect(await ledger.rewrite(({ record, raw }) => (record === null && raw.includes('"jane"') ? 'drop' : 'keep'))).toEqual({
      changed: 1,
      lines: 2,
    });
    expect(lines(file)).toEqual(['{"idempotencyKey":"a","who":"bob","text":"x"}']);
  });
});
