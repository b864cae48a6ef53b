// `npm run eval:triage`: triage measured against real labelled data in
// ../shared/data (see its README; non-commercial licences, never copied into
// this repository). Each set is split by row parity: half A (even rows) is
// the one the rules were tuned on, half B (odd rows) was held out; both are
// printed, and so is throughput on one core.
//
//   npm run eval:triage                     the table
//   npm run eval:triage -- --errors complaints [--half A] [--limit 40]   misjudged rows, for tuning
//   npm run eval:triage -- --jsonl /tmp/eval-posts   also write each set as normalized posts (for `hearken triage`)
//   npm run eval:triage -- --bench                   posts/s on the hard-case fixtures (no data needed)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import type { Post } from '../src/shared/post';
import type { Triage } from '../src/shared/triage';
import { triagePost, type TriageContext } from '../src/triage/triage';
import { formatPackError, loadPack } from '../src/policy/pack/load-pack';
import { parseCsv, parseCsvRecords } from './lib/csv';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(process.env.HEARKEN_EVAL_DATA ?? path.join(ROOT, '..', 'shared', 'data'));
const MAX_TEXT = 10_000; // schemas/post.schema.json

// ---------------------------------------------------------------------------
// Reading the files

function readCsv(file: string): Array<Record<string, string>> {
  return parseCsvRecords(readFileSync(path.join(DATA, file), 'utf8'));
}

interface Example<L> {
  post: Post;
  label: L;
  /** The answering brand's handles, for twcs. */
  accounts?: string[];
  /** complaints: the company's domain, or random_tweet / random_reply for tweets to no company. */
  domain?: string;
}

function post(id: string, text: string, extra: Partial<Post> = {}): Post {
  return {
    channel: 'twitter',
    id,
    author: { id: `author-${id}` },
    text: text.slice(0, MAX_TEXT),
    createdAt: '2017-10-31T22:11:45Z',
    ...extra,
  };
}

/** The row's link as a normalized post's `url` (an absolute URI, percent-encoded), or nothing when it is not one. */
function asUrl(text: string): Partial<Post> {
  try {
    const href = new URL(text).href;
    return /^https?:\/\/[\x21-\x7e]+$/u.test(href) && !/%(?![0-9a-f]{2})/iu.test(href) ? { url: href } : {};
  } catch {
    return {};
  }
}

function germeval(): Array<Example<{ relevant: boolean; sentiment: string }>> {
  return readFileSync(path.join(DATA, 'germeval2017-dev.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const [url = '', text = '', relevance = '', sentiment = ''] = line.split('\t');
      return { post: post(`ge${i}`, text, asUrl(url.replace(/\\_/gu, '_'))), label: { relevant: relevance === 'true', sentiment } };
    });
}

function complaints(): Array<Example<boolean>> {
  return readCsv('complaints-dev.csv').map((r, i) => ({
    post: post(r.tweet_id || `c${i}`, r.text ?? ''),
    label: r.complaint === '1',
    domain: r.domain,
  }));
}

function airline(): Array<Example<string>> {
  return readCsv('airline-sentiment-dev.csv').map((r, i) => ({
    post: post(r.tweet_id || `a${i}`, r.text ?? '', { author: { handle: r.name || `a${i}` } }),
    label: r.airline_sentiment ?? '',
  }));
}

function suggestions(): Array<Example<boolean>> {
  const [, ...rows] = [
    ['id', 'sentence', 'label'],
    ...parseCsv(readFileSync(path.join(DATA, 'semeval2019t9a-suggestion-train.csv'), 'utf8')),
  ];
  // Sentences carry an extra pair of quotes ("""Please …""" in the file).
  return rows.map((r, i) => ({ post: post(r[0] || `s${i}`, (r[1] ?? '').replace(/^"(.*)"$/su, '$1')), label: r[2] === '1' }));
}

/** Inbound conversation openers (reply to nothing) that a brand answered, with that brand's handles. */
function twcsOpeners(): Array<Example<true>> {
  const rows = readCsv('twcs-sample.csv');
  const byId = new Map(rows.map((r) => [r.tweet_id ?? '', r]));
  const out: Array<Example<true>> = [];
  for (const r of rows) {
    if (r.inbound !== 'True' || (r.in_response_to_tweet_id ?? '') !== '') continue;
    const brands = (r.response_tweet_id ?? '')
      .split(',')
      .map((id) => byId.get(id.trim()))
      .filter((x): x is Record<string, string> => x !== undefined && x.inbound === 'False')
      .map((x) => x.author_id ?? '');
    if (brands.length === 0) continue;
    out.push({
      post: post(r.tweet_id ?? '', r.text ?? '', { author: { id: r.author_id ?? '' } }),
      label: true,
      accounts: [...new Set(brands)],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Contexts: whose accounts and brand names

/** Deutsche Bahn's care and info accounts and names, as a pack's accounts.yaml would list them. */
const DB_BRAND: TriageContext = {
  accounts: [
    { channel: 'twitter', handle: 'DB_Bahn' },
    { channel: 'twitter', handle: 'DB_Info' },
  ],
  brandNames: ['Deutsche Bahn', 'DB', 'Bahn'],
};

/**
 * The same with listening terms for the common word "Bahn", from the pack
 * file scripts/eval-packs/deutsche-bahn/accounts.yaml (brand.listening), as
 * the worker reads them: loaded by the pack loader in main().
 */
const DB_PACK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'eval-packs/deutsche-bahn');

const AIRLINES: TriageContext = {
  accounts: ['VirginAmerica', 'united', 'SouthwestAir', 'JetBlue', 'USAirways', 'AmericanAir', 'Delta'].map((handle) => ({
    channel: 'twitter',
    handle,
  })),
  brandNames: ['Virgin America', 'United', 'Southwest', 'JetBlue', 'US Airways', 'American Airlines', 'Delta'],
};

const NO_BRAND: TriageContext = { accounts: [{ channel: 'twitter', handle: 'hearken_eval' }], brandNames: [] };

// ---------------------------------------------------------------------------
// Metrics

interface Row {
  task: string;
  half: string;
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  baseline?: number;
  note?: string;
}

function binary(task: string, half: string, pairs: Array<[boolean, boolean]>, note?: string): Row {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const [pred, gold] of pairs) {
    if (pred && gold) tp++;
    else if (pred) fp++;
    else if (gold) fn++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const positives = tp + fn;
  return {
    task,
    half,
    n: pairs.length,
    accuracy: (tp + tn) / pairs.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    baseline: Math.max(positives, pairs.length - positives) / pairs.length,
    note,
  };
}

/** Accuracy and macro-averaged precision, recall and F1 over the gold classes. */
function multiclass(task: string, half: string, pairs: Array<[string, string]>, note?: string): Row {
  const classes = [...new Set(pairs.map(([, g]) => g))].sort();
  let p = 0;
  let r = 0;
  let f = 0;
  for (const c of classes) {
    const row = binary(
      task,
      half,
      pairs.map(([pred, gold]) => [pred === c, gold === c]),
    );
    p += row.precision;
    r += row.recall;
    f += row.f1;
  }
  const counts = new Map<string, number>();
  for (const [, g] of pairs) counts.set(g, (counts.get(g) ?? 0) + 1);
  return {
    task,
    half,
    n: pairs.length,
    accuracy: pairs.filter(([a, b]) => a === b).length / pairs.length,
    precision: p / classes.length,
    recall: r / classes.length,
    f1: f / classes.length,
    baseline: Math.max(...counts.values()) / pairs.length,
    note: note ?? 'P/R/F1 macro over classes',
  };
}

function halves<T>(items: T[]): Array<[string, T[]]> {
  return [
    ['A', items.filter((_, i) => i % 2 === 0)],
    ['B', items.filter((_, i) => i % 2 === 1)],
    ['all', items],
  ];
}

// ---------------------------------------------------------------------------

interface Judged<L> {
  ex: Example<L>;
  t: Triage;
}

function judge<L>(examples: Array<Example<L>>, ctx: TriageContext | ((ex: Example<L>) => TriageContext)): Array<Judged<L>> {
  return examples.map((ex) => ({ ex, t: triagePost(ex.post, typeof ctx === 'function' ? ctx(ex) : ctx) }));
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fmt(x: number): string {
  return x.toFixed(3);
}

function printTable(rows: Row[]): void {
  const head = ['task', 'half', 'n', 'accuracy', 'precision', 'recall', 'F1', 'majority', 'note'];
  const lines = rows.map((r) => [
    r.task,
    r.half,
    String(r.n),
    fmt(r.accuracy),
    fmt(r.precision),
    fmt(r.recall),
    fmt(r.f1),
    r.baseline === undefined ? '' : fmt(r.baseline),
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const show = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(show(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(show(l));
}

/** Posts per second, one core, over the hard-case fixtures repeated: every rule family, EN and DE, short posts. */
function bench(): void {
  const fixture = parse(readFileSync(path.join(ROOT, 'test/fixtures/triage/hard-cases.yaml'), 'utf8')) as {
    contexts: Record<string, TriageContext>;
    cases: Array<{ context?: string; post: Partial<Post> & { text: string } }>;
  };
  const work = fixture.cases.map((c, i): [Post, TriageContext] => [
    { channel: 'twitter', id: `b${i}`, createdAt: '2026-11-22T10:00:00Z', ...c.post, author: c.post.author ?? { handle: 'jane' } },
    fixture.contexts[c.context ?? 'sprint']!,
  ]);
  const rounds = Math.ceil(50_000 / work.length);
  for (let r = 0; r < 20; r++) for (const [p, c] of work) triagePost(p, c);
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const [p, c] of work) triagePost({ ...p, id: `${p.id}-${r}` }, c);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `bench: ${Math.round((rounds * work.length) / seconds).toLocaleString('en')} posts/s on one core (${(rounds * work.length).toLocaleString('en')} triages of ${work.length} hard-case posts, median ${medianLength(work.map(([p]) => p.text))} chars)`,
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--bench')) {
    bench();
    return;
  }
  if (!existsSync(path.join(DATA, 'README.md'))) {
    console.log(`eval:triage: no labelled data at ${DATA} (expected ../shared/data with its README.md); nothing to measure.`);
    return;
  }
  const started = performance.now();
  const sets = { germeval: germeval(), complaints: complaints(), airline: airline(), suggestions: suggestions(), twcs: twcsOpeners() };

  const jsonlDir = arg('--jsonl');
  if (jsonlDir) {
    mkdirSync(jsonlDir, { recursive: true });
    for (const [name, examples] of Object.entries(sets)) {
      writeFileSync(
        path.join(jsonlDir, `${name}.jsonl`),
        (examples as Array<Example<unknown>>).map((e) => JSON.stringify(e.post)).join('\n') + '\n',
      );
    }
    console.log(`wrote normalized posts to ${jsonlDir}/*.jsonl`);
  }

  // Throughput per set: every post once to warm up, then timed.
  const timed: Array<[string, Array<[Post, TriageContext]>]> = [
    [
      'tweets (complaints, airline, suggestions)',
      [
        ...sets.complaints.map((e): [Post, TriageContext] => [e.post, NO_BRAND]),
        ...sets.airline.map((e): [Post, TriageContext] => [e.post, AIRLINES]),
        ...sets.suggestions.map((e): [Post, TriageContext] => [e.post, NO_BRAND]),
      ],
    ],
    ['GermEval (posts, comments and news, up to 10,000 chars)', sets.germeval.map((e): [Post, TriageContext] => [e.post, DB_BRAND])],
  ];
  const rates = timed.map(([name, work]) => {
    for (const [p, c] of work) triagePost(p, c);
    const t0 = performance.now();
    for (const [p, c] of work) triagePost(p, c);
    return `${Math.round(work.length / ((performance.now() - t0) / 1000)).toLocaleString('en')} posts/s on ${name}, median ${medianLength(work.map(([p]) => p.text))} chars`;
  });

  const ge = judge(sets.germeval, DB_BRAND);
  const dbPack = await loadPack(DB_PACK);
  if (!dbPack.ok) throw new Error(dbPack.errors.map(formatPackError).join('\n'));
  const DB_LISTENING: TriageContext = {
    accounts: dbPack.pack.accounts,
    brandNames: dbPack.pack.brandNames,
    listening: dbPack.pack.listening,
  };
  const geListening = judge(sets.germeval, DB_LISTENING);
  const co = judge(sets.complaints, NO_BRAND);
  const ai = judge(sets.airline, AIRLINES);
  const su = judge(sets.suggestions, NO_BRAND);
  const tw = judge(sets.twcs, (ex) => ({
    accounts: (ex.accounts ?? []).map((handle) => ({ channel: 'twitter', handle })),
    brandNames: [],
  }));

  const rows: Row[] = [];
  for (const [half, items] of halves(ge))
    rows.push(
      binary(
        'germeval relevance',
        half,
        items.map(({ ex, t }) => [t.relevant, ex.label.relevant]),
        'names: Deutsche Bahn, DB, Bahn',
      ),
    );
  for (const [half, items] of halves(geListening))
    rows.push(
      binary(
        'germeval relevance +topic',
        half,
        items.map(({ ex, t }) => [t.relevant, ex.label.relevant]),
        'with listening terms',
      ),
    );
  for (const [half, items] of halves(ge))
    rows.push(
      multiclass(
        'germeval sentiment',
        half,
        items.map(({ ex, t }) => [t.sentiment.label, ex.label.sentiment]),
      ),
    );
  for (const [half, items] of halves(geListening)) {
    // GermEval gives every irrelevant document a neutral label: read ours the same way.
    rows.push(
      multiclass(
        'germeval sentiment, gated',
        half,
        items.map(({ ex, t }) => [t.relevant ? t.sentiment.label : 'neutral', ex.label.sentiment]),
        'not relevant → neutral, as annotated',
      ),
    );
  }
  for (const [half, items] of halves(co))
    rows.push(
      binary(
        'complaints → complaint',
        half,
        items.map(({ ex, t }) => [t.intent === 'complaint', ex.label]),
      ),
    );
  for (const [half, items] of halves(co)) {
    // Hearken triages posts to or about a brand; the set's random tweets to no company are context only.
    const toCompanies = items.filter(({ ex }) => !(ex.domain ?? '').startsWith('random'));
    rows.push(
      binary(
        'complaints, to companies',
        half,
        toCompanies.map(({ ex, t }) => [t.intent === 'complaint', ex.label]),
        'without the random_tweet/random_reply rows',
      ),
    );
  }
  for (const [half, items] of halves(ai))
    rows.push(
      multiclass(
        'airline sentiment',
        half,
        items.map(({ ex, t }) => [t.sentiment.label, ex.label]),
      ),
    );
  for (const [half, items] of halves(su))
    rows.push(
      binary(
        'suggestions → idea',
        half,
        items.map(({ ex, t }) => [t.intent === 'idea', ex.label]),
      ),
    );
  for (const [half, items] of halves(tw)) {
    const addressed = items.filter(({ t }) => t.addressedToUs).length;
    rows.push({
      task: 'twcs openers addressed',
      half,
      n: items.length,
      accuracy: addressed / items.length,
      precision: 1,
      recall: addressed / items.length,
      f1: (2 * addressed) / (items.length + addressed),
      note: 'all were answered by the brand: accuracy = recall = share judged addressed',
    });
  }
  printTable(rows);
  console.log(`\nthroughput on one core: ${rates.join('; ')}. Whole run ${((performance.now() - started) / 1000).toFixed(1)} s.`);

  const errorsOf = arg('--errors');
  if (errorsOf) printErrors(errorsOf, { ge, geListening, co, ai, su, tw });
}

function medianLength(texts: string[]): number {
  const lengths = texts.map((t) => t.length).sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length / 2)] ?? 0;
}

function printErrors(
  task: string,
  j: {
    ge: Array<Judged<{ relevant: boolean; sentiment: string }>>;
    geListening: Array<Judged<{ relevant: boolean; sentiment: string }>>;
    co: Array<Judged<boolean>>;
    ai: Array<Judged<string>>;
    su: Array<Judged<boolean>>;
    tw: Array<Judged<true>>;
  },
): void {
  const half = arg('--half') ?? 'A';
  const limit = Number(arg('--limit') ?? 40);
  const pick = <L>(items: Array<Judged<L>>): Array<Judged<L>> =>
    items.filter((_, i) => (half === 'A' ? i % 2 === 0 : half === 'B' ? i % 2 === 1 : true));
  const show = (gold: string, t: Triage, text: string): void =>
    console.log(
      `gold=${gold} got=${t.intent}/${t.sentiment.label}(${t.sentiment.score})/${t.relevant ? 'rel' : 'irr'} ${(t.signals ?? []).filter((s) => !s.startsWith('language')).join(' | ')}\n    ${text.slice(0, 240).replace(/\s+/gu, ' ')}`,
    );
  const wanted = arg('--gold');
  const lines: Array<() => void> = [];
  if (task === 'relevance')
    for (const { ex, t } of pick(j.geListening))
      if (t.relevant !== ex.label.relevant) lines.push(() => show(String(ex.label.relevant), t, ex.post.text));
  if (task === 'germeval-sentiment')
    for (const { ex, t } of pick(j.geListening))
      if ((t.relevant ? t.sentiment.label : 'neutral') !== ex.label.sentiment && (!wanted || wanted === ex.label.sentiment))
        lines.push(() => show(ex.label.sentiment, t, ex.post.text));
  if (task === 'complaints')
    for (const { ex, t } of pick(j.co))
      if ((t.intent === 'complaint') !== ex.label && (!wanted || wanted === String(ex.label)))
        lines.push(() => show(String(ex.label), t, ex.post.text));
  if (task === 'airline')
    for (const { ex, t } of pick(j.ai))
      if (t.sentiment.label !== ex.label && (!wanted || wanted === ex.label)) lines.push(() => show(ex.label, t, ex.post.text));
  if (task === 'suggestions')
    for (const { ex, t } of pick(j.su))
      if ((t.intent === 'idea') !== ex.label && (!wanted || wanted === String(ex.label)))
        lines.push(() => show(String(ex.label), t, ex.post.text));
  if (task === 'twcs')
    for (const { ex, t } of pick(j.tw))
      if (!t.addressedToUs) lines.push(() => show(`answered by ${(ex.accounts ?? []).join(',')}`, t, ex.post.text));
  console.log(`\n${lines.length} misjudged in half ${half} of ${task}; showing ${Math.min(limit, lines.length)} spread evenly`);
  const step = Math.max(1, Math.floor(lines.length / limit));
  for (let i = 0; i < lines.length && i / step < limit; i += step) lines[i]!();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
