// Bluesky identifiers as Hearken uses them. A post is an AT URI
// (at://<did>/app.bsky.feed.post/<rkey>); Hearken's post ids may not contain
// "/" (they become part of interaction ids), so a post id is `<did>~<rkey>`:
// a DID never contains "~", so the mapping is exact both ways.
import { createHash } from 'node:crypto';

export const POST_COLLECTION = 'app.bsky.feed.post';

export interface PostRef {
  did: string;
  rkey: string;
}

export function postIdOf(ref: PostRef): string {
  return `${ref.did}~${ref.rkey}`;
}

export function parsePostId(id: string): PostRef | null {
  const at = id.lastIndexOf('~');
  if (at <= 0 || !id.startsWith('did:')) return null;
  return { did: id.slice(0, at), rkey: id.slice(at + 1) };
}

export function uriOf(ref: PostRef): string {
  return `at://${ref.did}/${POST_COLLECTION}/${ref.rkey}`;
}

/** The post an AT URI names, or null when it is not a post (a like, a profile). */
export function parsePostUri(uri: string): PostRef | null {
  const m = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/u.exec(uri);
  return m ? { did: m[1]!, rkey: m[2]! } : null;
}

/** The post's page in the Bluesky app. */
export function webUrlOf(ref: PostRef, handle?: string): string {
  return `https://bsky.app/profile/${handle ?? ref.did}/post/${ref.rkey}`;
}

const S32 = '234567abcdefghijklmnopqrstuvwxyz';

/** A TID (timestamp identifier, the record key of posts): 53 bits of microseconds and a 10-bit clock id, base32-sortable. */
export function tid(micros: number, clockId: number): string {
  let n = (BigInt(Math.floor(micros)) << 10n) | BigInt(clockId & 0x3ff);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return out;
}

/**
 * The record key of a reply: a valid TID at `atMs` (the stored instant the
 * reply was first attempted), its sub-millisecond digits and clock id taken
 * from the idempotency key. Every retry of one reply names the same record,
 * and two replies of one account in the same millisecond still differ.
 */
export function replyRkey(idempotencyKey: string, atMs: number): string {
  const h = createHash('sha256').update(idempotencyKey).digest();
  return tid(atMs * 1000 + (h.readUInt16BE(2) % 1000), h.readUInt16BE(0) & 0x3ff);
}
