import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../src/channels/notifier';

const note = (key: string) => ({
  interactionId: 'twitter:1',
  team: 'security',
  kind: 'escalation',
  message: 'decide',
  idempotencyKey: key,
});

describe('Notifier', () => {
  let server: http.Server;
  let url: string;
  const received: Array<{ key: string | undefined; body: any }> = [];
  let failNext = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.statusCode = 503;
          res.end();
          return;
        }
        received.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(body) });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts to the team webhook with the idempotency key as a header', async () => {
    const n = new Notifier(fs.mkdtempSync(path.join(os.tmpdir(), 'notify-')));
    const rec = await n.send(note('k-1'), url);
    expect(rec.via).toBe('webhook');
    expect(received.at(-1)).toEqual({ key: 'k-1', body: expect.objectContaining({ team: 'security', message: 'decide' }) });
  });

  it('a failing webhook throws, so the activity retries with backoff', async () => {
    const n = new Notifier(fs.mkdtempSync(path.join(os.tmpdir(), 'notify-')));
    failNext = 1;
    await expect(n.send(note('k-2'), url)).rejects.toThrow(/answered 503/);
    await expect(n.send(note('k-2'), url)).resolves.toMatchObject({ via: 'webhook' });
  });

  it('without a webhook, writes one line per key to notifications.jsonl, also when retried', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-'));
    const n = new Notifier(dir);
    await n.send(note('k-3'), undefined);
    await new Notifier(dir).send(note('k-3'), undefined);
    const lines = fs.readFileSync(path.join(dir, 'notifications.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ via: 'file', idempotencyKey: 'k-3', team: 'security' });
  });
});
