// The hard cases of test/fixtures/triage/hard-cases.yaml, one test each.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Post } from '../../src/shared/post';
import type { Triage } from '../../src/shared/triage';
import { triagePost, type TriageContext } from '../../src/triage/triage';

interface Case {
  name: string;
  context?: string;
  post: Partial<Post> & { text: string };
  expect: Partial<Omit<Triage, 'sentiment'>> & { sentiment?: Partial<Triage['sentiment']> };
  signal?: string;
}

const fixture = parse(readFileSync(new URL('../fixtures/triage/hard-cases.yaml', import.meta.url), 'utf8')) as {
  contexts: Record<string, TriageContext>;
  cases: Case[];
};

function toPost(p: Case['post'], i: number): Post {
  return { channel: 'twitter', id: `case-${i}`, createdAt: '2026-11-22T10:00:00Z', ...p, author: p.author ?? { handle: 'jane' } };
}

describe('triage hard cases (fixtures)', () => {
  fixture.cases.forEach((c, i) => {
    it(c.name, () => {
      const ctx = fixture.contexts[c.context ?? 'sprint'];
      if (!ctx) throw new Error(`unknown context ${c.context}`);
      const t = triagePost(toPost(c.post, i), ctx);
      const { sentiment, ...rest } = c.expect;
      expect(t).toMatchObject(rest);
      if (sentiment) expect(t.sentiment).toMatchObject(sentiment);
      if (c.signal) expect(t.signals?.join(' | ')).toContain(c.signal);
    });
  });
});
