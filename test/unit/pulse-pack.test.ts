// pulse.yaml and the crisis overlay as a pack author meets them: loaded with
// the pack, errors at file:line:col, the overlay outranking the normal
// policies only while a crisis is in force; and the capture-side counting.
import { afterEach, describe, expect, it } from 'vitest';
import { formatPackError, loadPack } from '../../src/policy/pack/load-pack';
import { compilePolicies } from '../../src/policy/engine/select';
import { assess } from '../../src/policy/engine/assess';
import { planUnderCrisis } from '../../src/pulse/overlay';
import { mentionsTopic, termsOf } from '../../src/pulse/terms';
import { PulseFeed } from '../../src/pulse/feed';
import { brandKey } from '../../src/pulse/brand';
import type { PolicyPack } from '../../src/policy/types';
import type { Post } from '../../src/shared/post';
import type { PulseBatch } from '../../src/workflows/pulse-messages';
import { copyDefaultPack, DEFAULT_PACK, editPack, removePack } from '../helpers/pack-fixture';
import { rmSync } from 'node:fs';
import path from 'node:path';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removePack));
function scratch(): string {
  const dir = copyDefaultPack();
  dirs.push(dir);
  return dir;
}

async function loaded(dir = DEFAULT_PACK): Promise<PolicyPack> {
  const r = await loadPack(dir);
  if (!r.ok) throw new Error(r.errors.map(formatPackError).join('\n'));
  return r.pack;
}

const post = (text: string, extra: Partial<Post> = {}): Post => ({
  channel: 'twitter',
  id: `p${Math.random()}`,
  author: { id: 'u1', handle: 'jane' },
  text,
  createdAt: '2026-11-30T10:00:00Z',
  ...extra,
});

describe('pulse.yaml', () => {
  it('loads with the pack: durations resolved, the crisis team checked, versioned with the pack', async () => {
    const pack = await loaded();
    expect(pack.pulse).toMatchObject({
      detect: true,
      windowMinutes: 10,
      minVolume: 20,
      sustain: 2,
      team: 'crisis-team',
      cooldownMs: 7_200_000,
    });
    expect(pack.pulse!.version).toBe(pack.version.id);
  });

  it('a broken pulse.yaml stops the pack at the right line and column', async () => {
    const dir = scratch();
    editPack(dir, 'pulse.yaml', 'volumeZ: 4', 'volumeZ: high');
    const r = await loadPack(dir);
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors.map(formatPackError);
    expect(errors).toEqual([expect.stringMatching(/pulse\.yaml:16:12: thresholds\.volumeZ must be a number, got "high"$/)]);
  });

  it('names an unknown crisis team and a bad window where they are written', async () => {
    const dir = scratch();
    editPack(dir, 'pulse.yaml', 'team: crisis-team', 'team: crisis-tem');
    editPack(dir, 'pulse.yaml', 'window: 10m', 'window: 90s');
    const r = await loadPack(dir);
    const errors = r.ok ? [] : r.errors.map(formatPackError);
    expect(errors).toEqual([
      expect.stringMatching(/pulse\.yaml:10:9: window: "90s" must be whole minutes, at most 60m$/),
      expect.stringMatching(/pulse\.yaml:22:9: crisis\.team: unknown team "crisis-tem"; teams\.yaml defines .*crisis-team/),
    ]);
  });

  it('without pulse.yaml the pulse counts and never alarms', async () => {
    const dir = scratch();
    rmSync(path.join(dir, 'pulse.yaml'));
    expect((await loaded(dir)).pulse).toMatchObject({ detect: false, team: null });
  });
});

describe('the crisis overlay', () => {
  it('loads overlays/crisis/ with its own version; an error there names the overlay file', async () => {
    const pack = await loaded();
    expect(pack.crisisOverlay!.policies.map((p) => p.id)).toEqual(['crisis-addressed', 'crisis-overheard']);
    expect(pack.crisisOverlay!.version).toMatch(/^overlay:[0-9a-f]{12}$/);
    const dir = scratch();
    editPack(dir, 'overlays/crisis/crisis-addressed.policy.yaml', 'team: crisis-team', 'team: crisis-tem');
    const r = await loadPack(dir);
    const errors = r.ok ? [] : r.errors.map(formatPackError);
    expect(errors).toEqual([
      expect.stringMatching(
        /overlays\/crisis\/crisis-addressed\.policy\.yaml:18:13: steps\[1\]\.escalate\.team: unknown team "crisis-tem"/,
      ),
    ]);
  });

  it('outranks the normal policies for posts about the topic, and records which crisis and overlay version decided', async () => {
    const pack = await loaded();
    const compiled = compilePolicies(pack.policies);
    const crisis = { id: 'sprint-c1', status: 'open' as const, topic: ['login', 'app'], openedAt: '2026-11-30T09:50:00Z' };
    const complaint = post('@sprintcare your app login is broken again, this is a disgrace');
    const normal = assess(pack, compiled, complaint);
    expect(normal.plan.policy.id).toBe('customer-complaint');
    const under = planUnderCrisis(pack, complaint, normal.triage, crisis)!;
    expect(under.plan.policy.id).toBe('crisis-addressed');
    expect(under.plan.steps.map((s) => s.kind)).toEqual(['interimReply', 'escalate']);
    expect(under.plan.overlay).toEqual({ kind: 'crisis', crisisId: 'sprint-c1', version: pack.crisisOverlay!.version });
    // Not about the topic: the normal policy decides.
    const other = post('@sprintcare my invoice is wrong');
    expect(planUnderCrisis(pack, other, assess(pack, compiled, other).triage, crisis)).toBeNull();
    // No crisis in force: no overlay.
    expect(planUnderCrisis(pack, complaint, normal.triage, null)).toBeNull();
    // Overheard and about the topic: not answered.
    const overheard = post('sprint app login down for everyone lol');
    expect(planUnderCrisis(pack, overheard, assess(pack, compiled, overheard).triage, crisis)!.plan.steps[0]).toMatchObject({
      kind: 'ignore',
      reason: 'crisis-overheard',
    });
  });

  it('matches topic words and phrases whole, ignoring case', () => {
    expect(mentionsTopic('The LOGIN page is down', ['login'])).toBe(true);
    expect(mentionsTopic('relogin please', ['login'])).toBe(false);
    expect(mentionsTopic('price hike again?!', ['price hike'])).toBe(true);
    expect(mentionsTopic('anything', [])).toBe(false);
  });
});

describe('counting captured posts', () => {
  it('keeps words and hashtags, never handles or links; each word once per post', () => {
    expect(termsOf('@sprintcare @115712 outage outage in Berlin https://x.example/a #SprintDown #sprintdown')).toEqual({
      terms: ['outage', 'berlin'],
      hashtags: ['sprintdown'],
    });
  });

  it('sends one batch per brand per flush, the settings only when they changed, and keeps counts a failed signal did not deliver', async () => {
    const pack = await loaded();
    const sent: Array<{ brand: string; batch: PulseBatch }> = [];
    let fail = false;
    let now = Date.parse('2026-11-30T10:00:30Z');
    const feed = new PulseFeed(
      { current: () => pack },
      async (brand, batch) => {
        if (fail) throw new Error('Temporal is unreachable');
        sent.push({ brand, batch: structuredClone(batch) });
      },
      { flushMs: 1000, now: () => now },
    );
    feed.observe(post('@sprintcare your app is broken, terrible #fail'));
    feed.observe(post('sprint is great'));
    feed.observe(post('@sprintcare thanks', { author: { handle: 'sprintcare' } })); // our own account: not counted
    await feed.flush();
    expect(sent).toHaveLength(1);
    const [first] = sent;
    expect(first!.brand).toBe(brandKey(pack));
    expect(first!.batch.settings?.version).toBe(pack.version.id);
    expect(first!.batch.minutes).toEqual([
      expect.objectContaining({ n: 2, neg: 1, addressed: 1, hashtags: { fail: 1 }, negTerms: expect.objectContaining({ broken: 1 }) }),
    ]);
    // Privacy by design: nothing of a post but counts and words.
    expect(JSON.stringify(first!.batch)).not.toMatch(/jane|sprintcare|u1/);

    fail = true;
    feed.observe(post('@sprintcare still broken'));
    await feed.flush();
    fail = false;
    now += 60_000;
    feed.observe(post('@sprintcare hello'));
    await feed.flush();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.batch.settings).toBeUndefined();
    expect(sent[1]!.batch.minutes.map((m) => m.n)).toEqual([1, 1]);
  });
});
