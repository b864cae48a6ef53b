// How long a reply may be on each channel, and how its length is counted
// there. A reply over the limit is never cut: the publish activity refuses it
// (ReplyTooLong) and the interaction hands it to a human; `policy check`
// warns about templates that can render too long.

export interface TextLimit {
  max: number;
  /** Bluesky counts user-perceived characters (grapheme clusters); the others count code points. */
  unit: 'graphemes' | 'characters';
}

/**
 * Built-in limits per channel name. Mastodon's 500 is the default of a stock
 * instance; the connector reads the instance's own limit when it connects,
 * and `textLimit` in accounts.yaml overrides either.
 */
export const CHANNEL_TEXT_LIMITS: Readonly<Record<string, TextLimit>> = {
  bluesky: { max: 300, unit: 'graphemes' },
  mastodon: { max: 500, unit: 'characters' },
  x: { max: 280, unit: 'characters' },
  twitter: { max: 280, unit: 'characters' },
};

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The length of `text` as the channel counts it. */
export function measure(text: string, unit: TextLimit['unit']): number {
  if (unit === 'characters') return [...text].length;
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** How much `text` is over `limit` (0 when it fits). */
export function excess(text: string, limit: TextLimit): number {
  return Math.max(0, measure(text, limit.unit) - limit.max);
}

export function describeLimit(limit: TextLimit): string {
  return `${limit.max} ${limit.unit}`;
}
