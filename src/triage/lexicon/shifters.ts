// Valence shifters: words that turn or scale the sentiment of the words
// after them (VADER's rules, Hutto & Gilbert 2014, with German added).

/** Turn the polarity of the next few words: "not good", "nicht gut", "kein guter". */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'cannot', 'dont', 'cant', 'wont', 'isnt', 'arent',
  'wasnt', 'werent', 'didnt', 'doesnt', 'hasnt', 'havent', 'hadnt', 'couldnt', 'wouldnt', 'shouldnt', 'aint', 'hardly', 'barely',
  'nicht', 'nie', 'niemals', 'kein', 'keine', 'keinen', 'keinem', 'keiner', 'keines', 'nichts', 'ohne', 'weder', 'kaum', 'garnicht',
]);

export function isNegator(token: string): boolean {
  return NEGATORS.has(token) || token.endsWith("n't");
}

/** Scale the next sentiment word up. */
export const BOOSTERS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    very: 1.3, really: 1.3, so: 1.2, extremely: 1.5, totally: 1.4, absolutely: 1.5, completely: 1.4, incredibly: 1.5, super: 1.3, such: 1.2,
    utterly: 1.5, truly: 1.3, seriously: 1.3, highly: 1.3, most: 1.2, too: 1.2, damn: 1.3, freaking: 1.4, fucking: 1.5, beyond: 1.4,
    sehr: 1.3, total: 1.4, echt: 1.3, wirklich: 1.3, extrem: 1.5, absolut: 1.5, äußerst: 1.5, besonders: 1.3, richtig: 1.3, unglaublich: 1.5,
    unfassbar: 1.5, komplett: 1.4, völlig: 1.4, voll: 1.2, ganz: 1.1, zu: 1.2, sowas: 1.2, derart: 1.3, dermaßen: 1.4, mega: 1.4,
  }),
);

/** Scale the next sentiment word down. */
export const DAMPENERS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    slightly: 0.6, somewhat: 0.6, kinda: 0.6, fairly: 0.8, rather: 0.8, little: 0.7, bit: 0.7, quite: 0.9, almost: 0.7, mostly: 0.8,
    etwas: 0.6, bisschen: 0.6, leicht: 0.7, eher: 0.7, relativ: 0.8, ziemlich: 0.9, einigermaßen: 0.6, halbwegs: 0.6, recht: 0.9,
  }),
);

/** After these, the rest of the post counts more ("nice seats, but two hours late"). */
export const CONTRAST: ReadonlySet<string> = new Set(['but', 'however', 'although', 'though', 'yet', 'aber', 'jedoch', 'allerdings', 'trotzdem', 'dennoch', 'sondern']);
