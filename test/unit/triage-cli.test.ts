// `hearken triage FILE` as a user runs it, over every hard-case post.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Post } from '../../src/shared/post';
import { loadPack } from '../../src/policy/pack/load-pack';
import { triageFor } from '../../src/policy/engine/assess';

// The CLI spawns share 2 cores with whatever else runs: give them room on a busy box.
vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hearken-triage-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { cases } = parse(readFileSync(path.join(ROOT, 'test/fixtures/triage/hard-cases.yaml'), 'utf8')) as {
  cases: Array<{ post: Partial<Post> & { text: string } }>;
};
const posts: Post[] = cases.map((c, i) => ({
  channel: 'twitter',
  id: `p${i}`,
  createdAt: '2026-11-22T10:00:00Z',
  ...c.post,
  author: c.post.author ?? { handle: 'jane' },
}));

describe('hearken triage FILE', () => {
  it('answers every post with one contract line, in input order, exactly as the worker triages it', async () => {
    const file = path.join(dir, 'posts.jsonl');
    writeFileSync(file, posts.map((p) => JSON.stringify(p)).join('\n') + '\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'bin/hearken.mjs'), 'triage', file, '--policies', path.join(ROOT, 'policies')],
      { cwd: ROOT },
    );
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id)).toEqual(posts.map((p) => p.id));
    const loaded = await loadPack(path.join(ROOT, 'policies'));
    if (!loaded.ok) throw new Error('default pack does not load');
    lines.forEach((line, i) => {
      expect(Object.keys(line)).toEqual(['id', 'language', 'addressedToUs', 'relevant', 'intent', 'sentiment', 'reach', 'risk']);
      const t = triageFor(loaded.pack, posts[i]!);
      expect(line).toEqual({
        id: posts[i]!.id,
        language: t.language,
        addressedToUs: t.addressedToUs,
        relevant: t.relevant,
        intent: t.intent,
        sentiment: t.sentiment,
        reach: t.reach,
        risk: t.risk,
      });
    });
  });
});
