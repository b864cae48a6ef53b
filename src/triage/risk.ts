// Risk flags a person should see before anyone answers:
//   suspicious-link   a link that looks like a trap: an IP address or user@ in the host, punycode, a throw-away TLD,
//                     our brand's name inside someone else's domain, a login/verify page, or any link in a post
//                     that reports phishing or a hijacked account
//   phishing          someone reports (or sends) a fake page, mail, SMS or account in our name
//   hijacked-account  someone else controls the customer's account
//   legal-threat      lawyer, lawsuit, court, regulator, "Anwalt", "rechtliche Schritte"
//   personal-data     e-mail address, phone number, IBAN, card number (Luhn-checked), postal address, date of
//                     birth, password or a customer/order/booking number, posted in public (a direct message is private)
import type { Post } from '../shared/post';
import { phrases } from './lexicon/patterns';
import type { Prepared } from './text';

export type RiskFlag = 'suspicious-link' | 'phishing' | 'hijacked-account' | 'legal-threat' | 'personal-data';

const PHISHING = phrases(
  'phish\\w*',
  'fake\\s+(?:\\w+\\s+)?(?:account|profile|page|support|website|site|e-?mails?|sms|texts?|links?|app|login|customer\\s+service|twitter|giveaway)',
  'scam\\s+(?:e-?mails?|texts?|calls?|links?|sites?|accounts?|messages?)',
  'spoof(?:ed|ing)?',
  'impersonat\\w*',
  'pretending\\s+to\\s+be',
  'is\\s+this\\s+(?:e-?mail|text|message|link|sms|account|site|website|call)\\s+(?:really\\s+)?(?:legit|real|genuine|from\\s+you|a\\s+scam)',
  'is\\s+this\\s+(?:a\\s+)?(?:scam|phishing)',
  'asked\\s+(?:me\\s+)?for\\s+my\\s+(?:password|pin|card|cvv|login|credentials|security\\s+code|bank)',
  'verify\\s+your\\s+(?:account|identity|details|card)',
  'your\\s+account\\s+(?:has\\s+been|will\\s+be|is)\\s+(?:suspended|locked|limited|disabled|closed)',
  'suspicious\\s+(?:e-?mails?|links?|sms|texts?|messages?|calls?)',
  'gefälscht\\w*',
  'fake-?(?:account|shop|mail|seite|profil)\\w*',
  'betrugs-?(?:mail|sms|anruf|nachricht|seite)\\w*',
  'phishing\\w*',
  'betrüger\\w*',
  '(?:mail|sms|nachricht|anruf)\\s+(?:angeblich\\s+)?(?:von|im\\s+namen)',
  'im\\s+namen\\s+(?:der|von)',
  'ist\\s+(?:diese|die|das)\\s+(?:mail|e-mail|sms|nachricht)\\s+(?:echt|von\\s+euch)',
);

const HIJACKED = phrases(
  '(?:account|profile|e-?mail|instagram|facebook|twitter|id|login)\\s+(?:was\\s+|has\\s+been\\s+|got\\s+|is\\s+|been\\s+)?(?:hacked|hijacked|compromised|taken\\s+over|stolen|breached)',
  'hack(?:ed|er)\\s+(?:into\\s+)?(?:my|our)',
  "(?:i\\s*'?ve|i\\s+have|i|we)\\s+(?:been|got|was|were)\\s+hacked",
  'got\\s+hacked',
  '(?:someone|somebody|hacker|hackers)\\s+(?:has\\s+|had\\s+)?(?:logged|got|broke|gotten|accessed|changed|used|took|is\\s+using)\\s+(?:in(?:to)?\\s+|over\\s+)?(?:my|our)',
  'changed\\s+my\\s+(?:password|e-?mail|phone\\s+number)\\s+without',
  'locked\\s+out\\s+of\\s+my\\s+account',
  'unauthori[sz]ed\\s+(?:access|log\\s?ins?|use)',
  'gehackt',
  'gekapert',
  '(?:konto|account|profil|zugang)\\s+(?:wurde\\s+|ist\\s+)?(?:übernommen|kompromittiert)',
  '(?:jemand|unbekannte|hacker)\\s+(?:hat|haben)\\s+(?:sich\\s+)?(?:in\\s+)?(?:mein|meinem|meinen|meine)',
  'passwort\\s+(?:wurde\\s+)?(?:geändert|geklaut|gestohlen)',
);

const LEGAL = phrases(
  'lawyers?',
  'attorneys?',
  'sue',
  'suing',
  'sued',
  'lawsuits?',
  'legal\\s+(?:action|steps|proceedings|advice|team)',
  'small\\s+claims',
  'class\\s+action',
  '(?:see\\s+you|take\\s+you|taking\\s+you|in)\\s+(?:to\\s+)?court',
  'report(?:ing)?\\s+(?:you|this)\\s+to\\s+(?:the\\s+)?(?:ftc|fcc|bbb|cfpb|ombudsman|trading\\s+standards|ofcom|watchdog|regulator|attorney\\s+general|dot)',
  'better\\s+business\\s+bureau',
  'consumer\\s+protection',
  'solicitors?',
  'anwalt',
  'anwältin',
  'anwälte',
  'rechtsanwalt\\w*',
  'verklag\\w*',
  'klage\\s+(?:einreichen|erheben)',
  'rechtliche\\s+schritte',
  'vor\\s+gericht',
  'gerichtlich\\w*',
  'verbraucherzentrale',
  'schlichtungsstelle',
  'abmahnung',
  'strafanzeige',
  'anzeige\\s+(?:erstatten|gegen)',
  'bundesnetzagentur',
);

// Not preceded by @: `@user@host` is a Mastodon handle, not an address.
const EMAIL_RE = /(?<![@\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;
const PHONE_RE =
  /(?:(?:\+|00)\d{1,3}[\s./-]?(?:\(0\)\s?)?\d{2,5}[\s./-]?\d{3,}(?:[\s.-]?\d{2,})?|\b0\d{2,5}[\s/-]\d{4,}(?:[\s-]?\d{2,})?\b|\(\d{3}\)\s?\d{3}[\s.-]\d{4}\b|\b\d{3}[.-]\d{3}[.-]\d{4}\b)/u;
const IBAN_RE = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b/u;
const CARD_RE = /\b\d(?:[ -]?\d){12,18}\b/gu;
const LABELLED_NUMBER_RE = phrases(
  '(?:account|acct|customer|order|booking|reservation|confirmation|ticket|policy|membership|member|tracking|case|kunden|auftrags|bestell|buchungs|vertrags|konto|bahncard|rechnungs)\\s*-?\\s*(?:number|no\\.?|num|#|nr\\.?|nummer|id|code)\\s*(?:is\\s+|ist\\s+|lautet\\s+)?[:#=]?\\s*[a-z0-9][a-z0-9-]{4,}',
  '(?:order|booking|confirmation|reservation)\\s*#\\s*[a-z0-9-]{5,}',
  '(?:date\\s+of\\s+birth|dob|born\\s+on|geburtsdatum|geboren\\s+am)\\s*:?\\s*\\d',
  '(?:my\\s+)?(?:password|passwort|pin)\\s+(?:is|ist|lautet)\\s+\\S+',
);
const ADDRESS_RE =
  /(?:(?<=\p{L})(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm)\s*\d+\s?[a-z]?\b.{0,40}?\b\d{5}\b|\b\d{1,5}\s+(?:[\p{L}]+\s+){1,3}(?:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|lane|ln\.?|drive|dr\.?)\b)/iu;

const RISKY_TLD = /\.(?:zip|mov|xyz|top|click|link|tk|ml|ga|cf|gq|buzz|rest|icu|cam|support|help|login|account)$/u;
const SHORTENER =
  /^(?:bit\.ly|tinyurl\.com|goo\.gl|ow\.ly|is\.gd|buff\.ly|cutt\.ly|rebrand\.ly|shorturl\.at|t\.ly|rb\.gy|tiny\.cc|s\.id)$/u;
const CREDENTIAL_PATH =
  /(?:log-?in|sign-?in|verif|secure|account|password|passwort|wallet|unlock|confirm|update-?billing|refund|erstattung|gewinn|prize|gift)/u;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function hostOf(url: string): { host: string; userinfo: boolean; rest: string } {
  const noScheme = url.replace(/^[a-z]+:\/\//iu, '');
  const slash = noScheme.search(/[/?#]/u);
  const authority = (slash < 0 ? noScheme : noScheme.slice(0, slash)).toLowerCase();
  const at = authority.lastIndexOf('@');
  return {
    host: (at >= 0 ? authority.slice(at + 1) : authority).replace(/:\d+$/u, ''),
    userinfo: at >= 0,
    rest: slash < 0 ? '' : noScheme.slice(slash).toLowerCase(),
  };
}

/** Why `url` looks like a trap, or null. `brandTokens`: our names and handles in lower case, letters only. */
export function suspiciousLink(url: string, brandTokens: readonly string[], securityContext: boolean): string | null {
  const { host, userinfo, rest } = hostOf(url);
  if (userinfo) return 'userinfo';
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/u.test(host) || host.startsWith('[')) return 'ip-host';
  if (host.split('.').some((label) => label.startsWith('xn--'))) return 'punycode';
  if (RISKY_TLD.test(host)) return 'risky-tld';
  if (brandTokens.some((b) => b.length >= 3 && host.includes(b)) && (/-/u.test(host) || CREDENTIAL_PATH.test(host + rest)))
    return 'brand-lookalike';
  if (securityContext) return 'security-context';
  if (SHORTENER.test(host) && CREDENTIAL_PATH.test(rest)) return 'shortener';
  return null;
}

export interface RiskResult {
  flags: RiskFlag[];
  /** `flag:why`, for the triage signals. */
  reasons: string[];
}

export function assessRisk(post: Post, prep: Prepared, brandTokens: readonly string[], securityIntent: boolean): RiskResult {
  const flags: RiskFlag[] = [];
  const reasons: string[] = [];
  const add = (flag: RiskFlag, why: string): void => {
    flags.push(flag);
    reasons.push(`${flag}:${why}`);
  };
  const lower = prep.clean.toLowerCase();
  const phishing = PHISHING.exec(lower);
  if (phishing) add('phishing', phishing[0]);
  const hijacked = HIJACKED.exec(lower);
  if (hijacked) add('hijacked-account', hijacked[0]);
  const context = securityIntent || phishing !== null || hijacked !== null;
  for (const url of prep.urls) {
    const why = suspiciousLink(url, brandTokens, context);
    if (why) {
      add('suspicious-link', why);
      break;
    }
  }
  const legal = LEGAL.exec(lower);
  if (legal) add('legal-threat', legal[0]);
  if (!post.direct) {
    const why = personalData(prep.clean);
    if (why) add('personal-data', why);
  }
  return { flags, reasons };
}

/** What kind of personal data `text` (links removed) shows, or null. */
export function personalData(text: string): string | null {
  if (text.includes('@') && EMAIL_RE.test(text)) return 'email';
  // Everything below needs a digit.
  if (!/\d/u.test(text)) return null;
  if (IBAN_RE.test(text)) return 'iban';
  for (const m of text.matchAll(CARD_RE)) {
    const digits = m[0].replace(/\D/gu, '');
    if (digits.length >= 13 && luhn(digits)) return 'card-number';
  }
  if (PHONE_RE.test(text)) return 'phone';
  if (ADDRESS_RE.test(text)) return 'address';
  const labelled = LABELLED_NUMBER_RE.exec(text.toLowerCase());
  return labelled ? 'labelled-number' : null;
}
