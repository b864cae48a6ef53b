import { describe, it, expect } from 'vitest';
import { MatchError, type Facts } from '../../src/policy/engine/match';
import { compilePolicies, firstMatch, selectPolicy } from '../../src/policy/engine/select';
import type { Condition, PolicySpec } from '../../src/policy/types';

const policy = (id: string, priority: number, when?: Condition): PolicySpec => ({
  id,
  priority,
  ...(when ? { when } : {}),
  steps: [{ ignore: { reason: id } }],
});

// Deliberately not in priority order: the selector must sort.
const pack: PolicySpec[] = [
  policy('praise', 20, { intent: 'praise' }),
  policy('security', 100, { any: [{ intent: 'security' }, { risk: ['phishing', 'account-takeover'] }] }),
  policy('catch-all', 1),
  policy('complaint', 70, { addressedToUs: true, intent: 'complaint', sentiment: { below: -0.2 } }),
  policy('vip', 80, { 'author.followers': { atLeast: 10_000 }, addressedToUs: true }),
];

const compiled = compilePolicies(pack);

const facts = (over: Facts): Facts => ({
  addressedToUs: true,
  intent: 'other',
  sentiment: { score: 0, label: 'neutral' },
  risk: [],
  author: { followers: 10 },
  ...over,
});

describe('compilePolicies', () => {
  it('sorts by priority, highest first, without mutating the input', () => {
    expect(compiled.map((c) => c.id)).toEqual(['security', 'vip', 'complaint', 'praise', 'catch-all']);
    expect(pack.map((p) => p.id)[0]).toBe('praise');
    expect(compiled[0]?.spec).toBe(pack[1]);
  });

  it('breaks priority ties by id, whatever the input order', () => {
    const ids = (ps: PolicySpec[]): string[] => compilePolicies(ps).map((c) => c.id);
    expect(ids([policy('b', 5), policy('a', 5), policy('c', 9)])).toEqual(['c', 'a', 'b']);
    expect(ids([policy('a', 5), policy('b', 5), policy('c', 9)])).toEqual(['c', 'a', 'b']);
  });

  it('names the policy and the path of a condition that does not compile', () => {
    let caught: unknown;
    try {
      compilePolicies([policy('ok', 2, { intent: 'x' }), policy('broken', 1, { text: { matches: '[' } })]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MatchError);
    const err = caught as MatchError;
    expect(err.policyId).toBe('broken');
    expect(err.path).toEqual(['when', 'text', 'matches']);
    expect(err.message).toMatch(/^policy "broken": when\.text\.matches: Invalid regular expression/);
  });
});

describe('selectPolicy', () => {
  it('picks the highest-priority match and lists all candidates, highest first', () => {
    const f = facts({ intent: 'complaint', sentiment: { score: -0.5, label: 'negative' }, author: { followers: 50_000 } });
    const { policy: winner, candidates } = selectPolicy(compiled, f);
    expect(winner?.id).toBe('vip');
    expect(candidates).toEqual([
      { id: 'vip', priority: 80 },
      { id: 'complaint', priority: 70 },
      { id: 'catch-all', priority: 1 },
    ]);
  });

  it('lets a higher priority win over a more specific lower one', () => {
    const f = facts({ intent: 'complaint', sentiment: { score: -0.9, label: 'negative' }, risk: ['phishing'] });
    expect(selectPolicy(compiled, f).policy?.id).toBe('security');
  });

  it('falls through to lower priorities when higher ones fail', () => {
    expect(selectPolicy(compiled, facts({ intent: 'praise' })).policy?.id).toBe('praise');
    expect(selectPolicy(compiled, facts({ intent: 'complaint', sentiment: { score: 0.1, label: 'neutral' } })).policy?.id).toBe(
      'catch-all',
    );
  });

  it('a policy without `when` matches every post, even empty facts', () => {
    const { policy: winner, candidates } = selectPolicy(compiled, {});
    expect(winner?.id).toBe('catch-all');
    expect(candidates).toEqual([{ id: 'catch-all', priority: 1 }]);
  });

  it('returns null and no candidates when nothing matches', () => {
    const noCatchAll = compilePolicies(pack.filter((p) => p.id !== 'catch-all'));
    expect(selectPolicy(noCatchAll, facts({}))).toEqual({ policy: null, candidates: [] });
    expect(selectPolicy([], facts({}))).toEqual({ policy: null, candidates: [] });
  });
});

describe('firstMatch', () => {
  it('agrees with selectPolicy', () => {
    const cases: Facts[] = [
      facts({ intent: 'security' }),
      facts({ intent: 'complaint', sentiment: { score: -0.5, label: 'negative' } }),
      facts({ intent: 'praise', author: { followers: 20_000 } }),
      facts({ intent: 'praise', addressedToUs: false }),
      {},
    ];
    for (const f of cases) expect(firstMatch(compiled, f)).toBe(selectPolicy(compiled, f).policy);
    expect(cases.map((f) => firstMatch(compiled, f)?.id)).toEqual(['security', 'complaint', 'vip', 'praise', 'catch-all']);
  });

  it('stops at the first match without evaluating lower priorities', () => {
    const seen: string[] = [];
    const spy = (id: string, priority: number): PolicySpec => policy(id, priority, { id: { matches: '.' } });
    const c = compilePolicies([spy('low', 1), spy('high', 3), spy('mid', 2)]).map((p) => ({
      ...p,
      test: (f: Facts) => (seen.push(p.id), p.test(f)),
    }));
    expect(firstMatch(c, { id: 'x' })?.id).toBe('high');
    expect(seen).toEqual(['high']);
  });

  it('returns null when nothing matches', () => {
    expect(firstMatch(compilePolicies([policy('a', 1, { intent: 'spam' })]), facts({}))).toBeNull();
  });
});
