// The capture path's side of the pulse. Every captured post (POST /v1/posts,
// signed webhooks, listeners) is counted here, in the capturing process, by
// minute of capture; every `flushMs` the counts go to the brand's pulse
// workflow in one signal. At ~100 posts/s that is one signal per few seconds
// per process instead of 100 a second.
//
// What a crash loses: the counts not yet flushed (at most `flushMs` of this
// process's captures, plus any minutes a failing signal kept back; those are
// retried on the next flush and dropped after RETRY_MINUTES). The pulse is a
// statistic: a few seconds of counts missing from one minute shifts the
// detector far less than its thresholds.
//
// Privacy by design: only counts, intent, sentiment label and words leave a
// post here: never its text, author or id, whether it was addressed to us or
// overheard.
import type { Post } from '../shared/post';
import { minuteOf, type MinuteCounts, type PulseSettings } from '../shared/pulse';
import { fromOurAccount, triageFor } from '../policy/engine/assess';
import type { PolicyPack } from '../policy/types';
import { brandKey } from './brand';
import { termsOf } from './terms';
import type { PulseBatch } from '../workflows/pulse-messages';

/** Minutes a failing signal keeps back before they are dropped. */
const RETRY_MINUTES = 10;

export type SendBatch = (brand: string, batch: PulseBatch) => Promise<void>;

export class PulseFeed {
  private pending = new Map<string, Map<number, MinuteCounts>>();
  /** The settings version each brand's pulse was last sent. */
  private sentSettings = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly packs: { current(): PolicyPack },
    private readonly send: SendBatch,
    private readonly opts: {
      flushMs: number;
      onError?: (err: unknown) => void;
      now?: () => number;
      /** The replay evaluation memoizes it (the same texts recur); default: the rules' triage. */
      triage?: typeof triageFor;
    },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushMs);
    this.timer.unref();
  }

  /** Counts one captured post (rules triage, the pack in force). Never throws: the pulse must not fail a capture. */
  observe(post: Post): void {
    try {
      const pack = this.packs.current();
      if (fromOurAccount(pack.accounts, post)) return;
      const triage = (this.opts.triage ?? triageFor)(pack, post);
      const brand = brandKey(pack);
      const m = minuteOf((this.opts.now ?? Date.now)());
      let minutes = this.pending.get(brand);
      if (!minutes) this.pending.set(brand, (minutes = new Map()));
      let c = minutes.get(m);
      if (!c) minutes.set(m, (c = { m, n: 0, neg: 0, addressed: 0, intents: {}, terms: {}, negTerms: {}, hashtags: {} }));
      const negative = triage.sentiment.label === 'negative';
      c.n++;
      if (negative) c.neg++;
      if (triage.addressedToUs) c.addressed++;
      c.intents[triage.intent] = (c.intents[triage.intent] ?? 0) + 1;
      const { terms, hashtags } = termsOf(post.text, brandWords(pack));
      for (const t of terms) {
        c.terms[t] = (c.terms[t] ?? 0) + 1;
        if (negative) c.negTerms[t] = (c.negTerms[t] ?? 0) + 1;
      }
      for (const h of hashtags) c.hashtags[h] = (c.hashtags[h] ?? 0) + 1;
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  /** Sends what was counted; one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.sendAll());
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async sendAll(): Promise<void> {
    const pending = this.pending;
    this.pending = new Map();
    const settings = this.packs.current().pulse;
    for (const [brand, minutes] of pending) {
      const batch: PulseBatch = { minutes: [...minutes.values()].sort((a, b) => a.m - b.m) };
      const withSettings = settings && this.sentSettings.get(brand) !== settings.version;
      if (withSettings) batch.settings = settings satisfies PulseSettings;
      try {
        await this.send(brand, batch);
        if (withSettings) this.sentSettings.set(brand, settings.version);
      } catch (err) {
        this.opts.onError?.(err);
        this.keep(brand, minutes);
      }
    }
  }

  /** Puts unsent minutes back (merged with what came meanwhile), the old ones dropped. */
  private keep(brand: string, minutes: Map<number, MinuteCounts>): void {
    const oldest = minuteOf((this.opts.now ?? Date.now)()) - RETRY_MINUTES;
    let now = this.pending.get(brand);
    if (!now) this.pending.set(brand, (now = new Map()));
    for (const [m, c] of minutes) {
      if (m < oldest) continue;
      const later = now.get(m);
      if (!later) now.set(m, c);
      else {
        later.n += c.n;
        later.neg += c.neg;
        later.addressed += c.addressed;
        for (const key of ['intents', 'terms', 'negTerms', 'hashtags'] as const) {
          for (const [k, v] of Object.entries(c[key])) later[key][k] = (later[key][k] ?? 0) + v;
        }
      }
    }
  }
}

const brandWordsOf = new WeakMap<PolicyPack, Set<string>>();

/** The words of the brand's names and handles: in nearly every post, they name no topic. */
function brandWords(pack: PolicyPack): Set<string> {
  let words = brandWordsOf.get(pack);
  if (!words) {
    const names = [...pack.brandNames, ...pack.accounts.map((a) => a.handle.split('@')[0] ?? '')];
    brandWordsOf.set(pack, (words = new Set(names.flatMap((n) => n.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter(Boolean))));
  }
  return words;
}

// The feed of this process, installed by the service; capture calls
// observeCaptured() and needs to know nothing else about the pulse.
let installed: PulseFeed | null = null;

export function installPulseFeed(feed: PulseFeed | null): void {
  installed = feed;
}

/** Called by the capture path (src/client/capture.ts) for each post captured for the first time. */
export function observeCaptured(post: Post): void {
  installed?.observe(post);
}
