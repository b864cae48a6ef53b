// Addressed to us: a direct message, a reply to one of our posts, or an
// @mention of one of our handles on the post's channel. Not a mention: an
// @handle inside a link (https://x.example/@us, x.example/@us), an e-mail
// address (help@us.example), `@us.com` (a domain), and a retweet of us
// (`RT @us: …`: the author shares our words, they do not talk to us).
import type { Post } from '../shared/post';
import type { AccountSpec } from '../policy/types';
import type { Triage } from '../shared/triage';
import { decodeEntities, withoutUrls } from './text';
import { escapeRegex } from '../util/escape-regex';

export type AddressedReason = Triage['addressedReason'];

/**
 * `@user` or Mastodon's `@user@host`. The @ must not follow a word character,
 * a slash, `=` or `:` (links, query strings, e-mail addresses); a dot only at
 * the start of a word (`.@user`, an old Twitter idiom for a public mention).
 */
const MENTION_RE =
  /(?:(?<![\p{L}\p{N}_/=:@+.\-&])|(?<=(?:^|\s)\.))@([\p{L}\p{N}_]+)(?:@([\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+))?(?!\.[a-z]{2,6}(?:[\s/]|$))/gu;

const RETWEET_RE = /^\s*RT\s+@[\p{L}\p{N}_]+/u;

/** Every @handle mentioned in `text`, lower case, `user` or `user@host`; links are skipped (`prepared`: already removed). */
export function mentionedHandles(text: string, prepared = false): string[] {
  const handles: string[] = [];
  if (!text.includes('@')) return handles;
  for (const m of (prepared ? text : withoutUrls(decodeEntities(text.normalize('NFC')))).matchAll(MENTION_RE)) {
    handles.push(m[2] ? `${m[1]!}@${m[2]}`.toLowerCase() : m[1]!.toLowerCase());
  }
  return handles;
}

function bare(handle: string): string {
  return handle.trim().replace(/^@/u, '').toLowerCase();
}

/** The host part of `user@host`, if any. */
function hostOf(handle: string | undefined): string | undefined {
  if (!handle) return undefined;
  const at = bare(handle).indexOf('@');
  return at > 0 ? bare(handle).slice(at + 1) : undefined;
}

/**
 * Does `handle` (as written in a post) name our account `ours`? A bare
 * `user` also names `user@host` when the author is on that host (a local
 * mention on Mastodon) or when the author's host is unknown.
 */
export function sameAccount(handle: string, ours: string, authorHandle?: string): boolean {
  const h = bare(handle);
  const o = bare(ours);
  if (h === o) return true;
  const oAt = o.indexOf('@');
  if (oAt < 0 || h.includes('@')) return false;
  if (h !== o.slice(0, oAt)) return false;
  const authorHost = hostOf(authorHandle);
  return authorHost === undefined || authorHost === o.slice(oAt + 1);
}

export interface Addressing {
  reason: AddressedReason;
  /** Our handle that was mentioned or replied to. */
  handle?: string;
  retweet: boolean;
}

/** `clean`: the post's text already NFC-normalized, entity-decoded and without links (text.ts), to save doing it twice. */
export function addressing(post: Post, accounts: readonly AccountSpec[], clean?: string): Addressing {
  const retweet = RETWEET_RE.test(post.text);
  if (post.direct) return { reason: 'direct', retweet };
  const ours = accounts.filter((a) => a.channel === post.channel).map((a) => a.handle);
  if (ours.length === 0) return { reason: null, retweet };
  const author = post.author.handle;
  if (post.inReplyToAuthor) {
    const hit = ours.find((o) => sameAccount(post.inReplyToAuthor!, o, author));
    if (hit) return { reason: 'reply-to-us', handle: hit, retweet };
  }
  if (!retweet && post.text.includes('@')) {
    for (const h of clean === undefined ? mentionedHandles(post.text) : mentionedHandles(clean, true)) {
      const hit = ours.find((o) => sameAccount(h, o, author));
      if (hit) return { reason: 'mention', handle: hit, retweet };
    }
    // Bluesky handles are domain names (`@brand.bsky.social`), which the
    // pattern above reads as a domain, not a mention: look for ours as written.
    const domainHit = ours.find((o) => DOMAIN_HANDLE.test(o) && mentionsDomainHandle(post.text, o));
    if (domainHit) return { reason: 'mention', handle: domainHit, retweet };
  }
  return { reason: null, retweet };
}

/** A handle that is a domain name: Bluesky's (`brand.bsky.social`), not Mastodon's `user@host`. */
const DOMAIN_HANDLE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/iu;

function mentionsDomainHandle(text: string, handle: string): boolean {
  const re = new RegExp(`(?<![\\p{L}\\p{N}_/=:@+.\\-])@${escapeRegex(bare(handle))}(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])`, 'iu');
  return re.test(text);
}
