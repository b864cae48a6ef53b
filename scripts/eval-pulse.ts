// `npm run eval:pulse`: the pulse's spike detector and the crisis overlay,
// replayed over a week of real traffic from ../shared/data (Twitter US
// Airline Sentiment: every tweet to six US airlines, 17–24 Feb 2015, with
// its real timestamp). Skipped, with a message, when the data is absent.
//
// Every post goes through the code the service runs: the capture-side
// counter (src/pulse/feed.ts, rules triage, one batch per minute), the pulse
// state and detector (src/workflows/pulse-state.ts, as the workflow calls
// them) and the overlay selection (src/pulse/overlay.ts) with the default
// pack's pulse.yaml and overlays/crisis/ (accounts.yaml made the airline's).
// Temporal itself is left out: a week of minutes is seconds here.
//
// Baseline warm-up: the detector needs earlier weeks of the same hours. The
// three weeks before are made of the same week's posts, each moved by up to
// ±30 minutes at random and each kept with probability 0.9: the baseline
// knows the week's rhythm, not its minute-by-minute noise.
//
// Scenarios, per brand (United alone; all six airlines as one brand):
//  - week: the real week, unchanged. Every crisis opened is a false alarm.
//  - busy: plus a normal busy period without negativity: 250 real positive
//    and neutral tweets re-timed into 90 minutes (Thu 19 Feb 17:00 UTC),
//    addressed to the brand (a campaign, a sale).
//  - burst: plus a burst of negative posts: 250 real negative tweets about
//    luggage (negativereason Lost Luggage / Damaged Luggage, from every
//    airline) re-timed into 90 minutes (Wed 18 Feb 17:00 UTC), 60 % addressed
//    to the brand's handle, 40 % naming it without addressing it. Their rate
//    ramps from 0.5 to 5 a minute over 20 minutes, holds 40, decays over 30.
//    The re-timed tweets are removed from their original place. A lead closes
//    the crisis 60 minutes after the burst ends (a false alarm 2 hours after
//    it opened). The crisis topic is the detector's own (its top words).
//  - burst+lead: the same, and 10 minutes after the crisis opens a lead
//    acknowledges it and names the topic (LEAD_TOPIC).
// Reported: detection delay from the burst's first post, false alarms per
// week, and the share of burst posts handled under the overlay (the crisis
// open when they arrive and an overlay policy matching them).
//
//   npm run eval:pulse                 the table, and bench/results/pulse-<time>.json
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Post } from '../src/shared/post';
import { minuteOf, type ActiveCrisis, type Crisis } from '../src/shared/pulse';
import { formatPackError, loadPack } from '../src/policy/pack/load-pack';
import { triageFor } from '../src/policy/engine/assess';
import type { PolicyPack } from '../src/policy/types';
import { PulseFeed } from '../src/pulse/feed';
import { planUnderCrisis } from '../src/pulse/overlay';
import { acknowledge, close, ingest, initialPulseState, type PulseState } from '../src/workflows/pulse-state';
import type { PulseBatch } from '../src/workflows/pulse-messages';
import { parseCsvRecords } from './lib/csv';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(process.env.HEARKEN_EVAL_DATA ?? path.join(ROOT, '..', 'shared', 'data'));
const FILE = 'airline-sentiment-dev.csv';
const WEEK_START = Date.parse('2015-02-17T08:00:00Z'); // Tue 17 Feb 00:00 PST: the first full day
const WEEK_MS = 7 * 86_400_000;
const BURST_AT = Date.parse('2015-02-18T17:00:00Z');
const BUSY_AT = Date.parse('2015-02-19T17:00:00Z');
const INJECTED = 250;
const CLOSE_AFTER_MS = 60 * 60_000;
const FALSE_ALARM_CLOSED_AFTER_MS = 2 * 60 * 60_000;
/** burst+lead: ten minutes after the crisis opens a lead acknowledges it and names its topic. */
const ACK_AFTER_MS = 10 * 60_000;
const LEAD_TOPIC = ['luggage', 'baggage', 'bag', 'bags', 'suitcase', 'lost'];

const HANDLES: Record<string, string> = {
  United: 'united',
  'US Airways': 'usairways',
  American: 'americanair',
  Southwest: 'southwestair',
  Delta: 'delta',
  'Virgin America': 'virginamerica',
};

interface Row {
  text: string;
  at: number;
  airline: string;
  sentiment: string;
  reason: string;
}

interface Timed {
  post: Post;
  at: number;
  burst?: boolean;
}

/** mulberry32: the same "random" choices every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readRows(): Row[] {
  return parseCsvRecords(readFileSync(path.join(DATA, FILE), 'utf8')).map((r) => ({
    text: r.text ?? '',
    at: Date.parse((r.tweet_created ?? '').replace(' ', 'T').replace(' ', '')),
    airline: r.airline ?? '',
    sentiment: r.airline_sentiment ?? '',
    reason: r.negativereason ?? '',
  }));
}

/** Minute offsets (from the start) of `n` posts whose rate ramps up over 20 min, holds 40, decays over 30. */
function burstOffsets(n: number): number[] {
  const rate = (t: number) => (t < 20 ? 0.5 + (4.5 * t) / 20 : t < 60 ? 5 : t < 90 ? 5 - (4.5 * (t - 60)) / 30 : 0);
  const total = Array.from({ length: 90 }, (_, t) => rate(t + 0.5)).reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let acc = 0;
  for (let t = 0; t < 90 && out.length < n; t++) {
    acc += (rate(t + 0.5) * n) / total;
    while (out.length < Math.round(acc)) out.push(t + (out.length % 7) / 7);
  }
  while (out.length < n) out.push(89.9);
  return out;
}

/** A tweet addressed to `handle` (its airline handles replaced), or naming `name` without addressing anyone. */
function retarget(text: string, handle: string, name: string, addressed: boolean): string {
  const bare = text.replace(/@\w+/g, '').replace(/\s+/g, ' ').trim();
  return addressed ? `@${handle} ${bare}` : `${name}: ${bare}`;
}

function asPost(id: string, text: string, at: number): Post {
  return { channel: 'twitter', id, author: { id: `a${id}`, handle: `user${id}` }, text, createdAt: new Date(at).toISOString() };
}

interface Scenario {
  name: 'week' | 'busy' | 'burst' | 'burst+lead';
  stream: Timed[];
  injectedAt: number | null;
}

function scenarios(rows: Row[], airlines: string[], handle: string, name: string): Scenario[] {
  const random = rng(42);
  const week = rows.filter((r) => r.at >= WEEK_START && r.at < WEEK_START + WEEK_MS);
  const own = (r: Row) => airlines.includes(r.airline);
  const luggage = week.filter((r) => r.sentiment === 'negative' && /Luggage/.test(r.reason)).slice(0, INJECTED);
  const calm = week
    .filter((r) => r.sentiment !== 'negative' && own(r))
    .filter((_, i) => i % 3 === 0)
    .slice(0, INJECTED);
  const base = (skip: Set<Row>) =>
    week.filter((r) => own(r) && !skip.has(r)).map((r, i) => ({ post: asPost(`w${i}`, r.text, r.at), at: r.at }) satisfies Timed);
  const inject = (picked: Row[], at: number, negative: boolean): Timed[] =>
    burstOffsets(picked.length).map((off, i) => {
      const t = at + off * 60_000;
      const addressed = !negative || random() < 0.6;
      return { post: asPost(`${negative ? 'b' : 'p'}${i}`, retarget(picked[i]!.text, handle, name, addressed), t), at: t, burst: negative };
    });
  const byTime = (xs: Timed[]) => xs.sort((a, b) => a.at - b.at);
  return [
    { name: 'week', stream: byTime(base(new Set())), injectedAt: null },
    { name: 'busy', stream: byTime([...base(new Set(calm)), ...inject(calm, BUSY_AT, false)]), injectedAt: BUSY_AT },
    { name: 'burst', stream: byTime([...base(new Set(luggage)), ...inject(luggage, BURST_AT, true)]), injectedAt: BURST_AT },
  ].flatMap((sc) => (sc.name === 'burst' ? [sc as Scenario, { ...sc, name: 'burst+lead' } as Scenario] : [sc as Scenario]));
}

/** Three earlier weeks made of `stream`, each post moved by up to ±30 min and kept with probability 0.9. */
function warmUp(stream: Timed[]): Timed[] {
  const random = rng(7);
  const out: Timed[] = [];
  for (let w = 3; w >= 1; w--) {
    for (const x of stream) {
      if (x.burst || random() >= 0.9) continue;
      const at = x.at - w * WEEK_MS + Math.round((random() * 2 - 1) * 30 * 60_000);
      out.push({ post: { ...x.post, id: `${x.post.id}-w${w}` }, at });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

interface Outcome {
  crises: Array<
    Pick<Crisis, 'id' | 'openedAt' | 'topic'> & {
      alarmAt: string;
      closedAt?: string;
      zVolume: number | null;
      zNegativeShare: number | null;
    }
  >;
  falseAlarms: number;
  detectionDelayMinutes: number | null;
  burstPosts: number;
  handledUnderOverlay: number;
  addressedBurstPosts: number;
  addressedEscalatedToCrisisTeam: number;
}

function closingTime(c: Crisis, sc: Scenario, burstEnd: number | null): number {
  const opened = Date.parse(c.openedAt);
  const duringBurst = burstEnd !== null && sc.name.startsWith('burst') && opened >= sc.injectedAt! && opened <= burstEnd;
  return duringBurst ? burstEnd + CLOSE_AFTER_MS : opened + FALSE_ALARM_CLOSED_AFTER_MS;
}

const triaged = new Map<string, ReturnType<typeof triageFor>>();
/** The warm-up weeks repeat the week's texts: each text is triaged once. */
function memoTriage(pack: PolicyPack, post: Post): ReturnType<typeof triageFor> {
  let t = triaged.get(post.text);
  if (!t) triaged.set(post.text, (t = triageFor(pack, post)));
  return t;
}
const TRACE = process.argv.includes('--trace');

async function replay(pack: PolicyPack, sc: Scenario, warm: Timed[]): Promise<Outcome> {
  const brand = 'eval';
  const s: PulseState = initialPulseState(brand);
  let now = 0;
  const feed = new PulseFeed({ current: () => pack }, async (_b, batch: PulseBatch) => void ingest(s, batch, now), {
    flushMs: 60_000,
    now: () => now,
    triage: memoTriage,
  });
  const burstEnd = sc.injectedAt === null ? null : sc.injectedAt + 90 * 60_000;
  let minute = -1;
  let handled = 0;
  let burstPosts = 0;
  let addressed = 0;
  let escalated = 0;
  const active = (): ActiveCrisis | null => {
    const c = s.crises.find((x) => x.status !== 'closed');
    return c ? { id: c.id, status: c.status === 'acknowledged' ? 'acknowledged' : 'open', topic: c.topic, openedAt: c.openedAt } : null;
  };
  const all = [...warm, ...sc.stream];
  for (const x of all) {
    // One batch per minute: the counts of the minute before reach the pulse when the next one starts.
    if (minuteOf(x.at) !== minute) {
      now = x.at;
      await feed.flush();
      minute = minuteOf(x.at);
      // A lead closes a crisis an hour after the burst ends, a false alarm two hours after it opened.
      const c = s.crises.find((y) => y.status !== 'closed');
      const closeAt = c && closingTime(c, sc, burstEnd);
      if (c && closeAt && x.at > closeAt) close(s, c.id, { name: 'lead', role: 'lead' }, closeAt);
      else if (c && sc.name === 'burst+lead' && c.status === 'open' && x.at > Date.parse(c.openedAt) + ACK_AFTER_MS) {
        acknowledge(s, c.id, { name: 'lead', role: 'lead' }, Date.parse(c.openedAt) + ACK_AFTER_MS, undefined, LEAD_TOPIC);
      }
    }
    now = x.at;
    feed.observe(x.post);
    if (x.burst) {
      burstPosts++;
      const triage = memoTriage(pack, x.post);
      if (TRACE && s.lastEvaluation) console.log(JSON.stringify(s.lastEvaluation));
      const under = planUnderCrisis(pack, x.post, triage, active());
      if (under) handled++;
      if (triage.addressedToUs) {
        addressed++;
        if (under?.plan.steps.some((st) => st.kind === 'escalate' && st.team === pack.pulse?.team)) escalated++;
      }
    }
  }
  now += 120_000;
  await feed.flush();
  const evalStart = minuteOf(WEEK_START);
  const crises = s.crises.filter((c) => c.alarm.m >= evalStart);
  const inBurst = (c: Crisis) =>
    sc.name.startsWith('burst') && burstEnd !== null && c.alarm.m >= minuteOf(sc.injectedAt!) && c.alarm.m <= minuteOf(burstEnd);
  const detected = crises.find(inBurst);
  return {
    crises: crises.map((c) => ({
      id: c.id,
      openedAt: c.openedAt,
      alarmAt: c.alarm.at,
      topic: c.topic,
      zVolume: c.alarm.zVolume,
      zNegativeShare: c.alarm.zNegativeShare,
      ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    })),
    falseAlarms: crises.filter((c) => !inBurst(c)).length,
    // From the burst's first post to the minute the crisis opened (the alarm's minute, completed).
    detectionDelayMinutes: detected ? (Date.parse(detected.openedAt) - sc.injectedAt!) / 60_000 : null,
    burstPosts,
    handledUnderOverlay: handled,
    addressedBurstPosts: addressed,
    addressedEscalatedToCrisisTeam: escalated,
  };
}

async function packFor(handle: string, names: string[]): Promise<{ pack: PolicyPack; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearken-eval-pulse-'));
  cpSync(path.join(ROOT, 'policies'), dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'accounts.yaml'),
    `accounts:\n  - channel: twitter\n    handle: ${handle}\nbrand:\n  names: [${names.map((n) => JSON.stringify(n)).join(', ')}]\n`,
  );
  const r = await loadPack(dir);
  if (!r.ok) throw new Error(r.errors.map(formatPackError).join('\n'));
  return { pack: r.pack, dir };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(DATA, FILE))) {
    console.log(`eval:pulse skipped: ${path.join(DATA, FILE)} not found (see ../shared/data/README.md)`);
    return;
  }
  const rows = readRows();
  const only = process.argv.indexOf('--only');
  const brands = [
    { brand: 'United', airlines: ['United'], handle: 'united', names: ['United'] },
    { brand: 'all six airlines', airlines: Object.keys(HANDLES), handle: 'united', names: ['United'] },
  ];
  const results = [];
  for (const b of brands) {
    if (only >= 0 && b.brand !== process.argv[only + 1]) continue;
    triaged.clear();
    const { pack, dir } = await packFor(b.handle, b.names);
    try {
      for (const sc of scenarios(rows, b.airlines, b.handle, b.names[0]!)) {
        const started = performance.now();
        const outcome = await replay(pack, sc, warmUp(sc.stream));
        const posts = sc.stream.length;
        results.push({ brand: b.brand, scenario: sc.name, posts, ms: Math.round(performance.now() - started), ...outcome });
        const line = [
          b.brand.padEnd(17),
          sc.name.padEnd(10),
          `${posts} posts`.padEnd(12),
          `false alarms ${outcome.falseAlarms}`.padEnd(16),
          sc.name.startsWith('burst')
            ? `delay ${outcome.detectionDelayMinutes?.toFixed(1) ?? 'missed'} min; under overlay ${outcome.handledUnderOverlay}/${outcome.burstPosts}; addressed → crisis team ${outcome.addressedEscalatedToCrisisTeam}/${outcome.addressedBurstPosts}`
            : '',
        ];
        console.log(line.join('  '));
        for (const c of outcome.crises)
          console.log(`    ${c.id} opened ${c.openedAt} topic ${c.topic.join(', ')} (z ${c.zVolume} / ${c.zNegativeShare})`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const outDir = path.join(ROOT, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `pulse-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ data: FILE, leadTopic: LEAD_TOPIC, week: { from: new Date(WEEK_START).toISOString(), days: 7 }, burstAt: new Date(BURST_AT).toISOString(), busyAt: new Date(BUSY_AT).toISOString(), injected: INJECTED, results }, null, 2)}\n`,
  );
  console.log(`wrote ${path.relative(ROOT, file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
