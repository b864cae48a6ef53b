// The same policies as json-rules-engine rules: the peer a user would reach
// for. The translation is faithful to Hearken's `when` semantics where
// json-rules-engine can express them, and says where it cannot
// (JSON_RULES_ENGINE_GAPS, printed with the results).
import { Engine, type NestedCondition, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import type { Condition, PolicySpec } from '../../src/policy/types';
import { escapeRegex } from '../../src/util/escape-regex';

/**
 * What json-rules-engine cannot say on its own, and what the translation
 * does instead. Each item is a place where a policy author would have to
 * write code (a custom operator) or know the shape of every fact.
 */
export const JSON_RULES_ENGINE_GAPS = [
  'no whole-word, phrase or regex text matching (its `contains` is a case-sensitive substring/array test): `contains` and `matches` need a custom `regex` operator',
  'no case-insensitive equality: values are lower-cased at translation, so facts must already be lower-case',
  'no "number or label" facts: `sentiment: {below: -0.2}` and `sentiment: negative` need explicit paths ($.score / $.label), i.e. the translator must know each fact\'s shape',
  'array facts (`risk: phishing`) need the `someFact:` operator decorator, again by knowing which facts are arrays',
  '"highest priority wins" is application code: the engine runs every rule and reports all that passed; rule priority only orders evaluation',
  'a missing fact is an error unless `allowUndefinedFacts` is set',
  'async only: every decision is a promise, even when nothing is asynchronous',
  'no load-time validation with file:line:col: a wrong operator or path fails at run time',
] as const;

/** Facts whose value is an object with a numeric `score` and a string `label` (Hearken's "scored" facts). */
const SCORED_FACTS = new Set(['sentiment']);
/** Facts whose value is a list: a condition holds when it holds for any element. */
const ARRAY_FACTS = new Set(['risk']);

// Hearken's whole-word boundary (src/policy/match.ts), so `contains` means the same thing.
const WORD = '[\\p{L}\\p{N}\\p{M}]';
const FLAGS = 'iu';

export interface JsonRulesSelector {
  engine: Engine;
  rules: RuleProperties[];
  /** The winning policy id, like Hearken's selectPolicy(...).policy?.id. */
  select(facts: Record<string, unknown>): Promise<string | null>;
}

export interface JsonRulesOptions {
  /**
   * json-rules-engine resolves `path` with JSONPath (jsonpath-plus) by
   * default; a user tuning it would pass a plain dotted-path resolver.
   */
  fastPaths?: boolean;
}

export function jsonRulesSelector(policies: readonly PolicySpec[], opts: JsonRulesOptions = {}): JsonRulesSelector {
  const engine = new Engine([], {
    allowUndefinedFacts: true,
    ...(opts.fastPaths ? { pathResolver: dottedPath } : {}),
  });
  // One RegExp per source, compiled on first use: what a careful user would write.
  const compiled = new Map<string, RegExp>();
  engine.addOperator<unknown, string>('regex', (factValue, source) => {
    if (typeof factValue !== 'string') return false;
    let re = compiled.get(source);
    if (!re) {
      re = new RegExp(source, FLAGS);
      compiled.set(source, re);
    }
    return re.test(factValue);
  });
  const rules = policies.map((p): RuleProperties => ({
    name: p.id,
    // json-rules-engine priorities start at 1; Hearken's at 0.
    priority: p.priority + 1,
    conditions: p.when ? translateNode(p.when) : { all: [] },
    event: { type: 'policy', params: { id: p.id, priority: p.priority } },
  }));
  for (const r of rules) engine.addRule(r);
  return {
    engine,
    rules,
    async select(facts) {
      const { events } = await engine.run(facts);
      let best: { id: string; priority: number } | null = null;
      for (const e of events) {
        const params = e.params as { id: string; priority: number };
        if (!best || params.priority > best.priority) best = params;
      }
      return best?.id ?? null;
    },
  };
}

function dottedPath(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const seg of path.replace(/^\$\./u, '').split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/** A `when` mapping: its terms, all of which must hold. */
function translateNode(cond: Condition): TopLevelCondition {
  return { all: Object.entries(cond).map(([key, value]) => translateTerm(key, value)) };
}

function translateTerm(key: string, value: unknown): NestedCondition {
  if (key === 'any') return { any: (value as Condition[]).map(translateNode) };
  if (key === 'all') return { all: (value as Condition[]).map(translateNode) };
  if (key === 'not') return { not: translateNode(value as Condition) };
  return translateField(key, value);
}

type Op = 'equal' | 'in' | 'lessThan' | 'greaterThan' | 'lessThanInclusive' | 'greaterThanInclusive' | 'regex';

function translateField(key: string, matcher: unknown): NestedCondition {
  const [fact, ...rest] = key.split('.') as [string, ...string[]];
  const leaf = (operator: Op, value: unknown, sub?: 'score' | 'label'): NestedCondition => {
    const segs = [...rest, ...(sub && SCORED_FACTS.has(fact) ? [sub] : [])];
    return {
      fact,
      operator: ARRAY_FACTS.has(fact) ? `someFact:${operator}` : operator,
      value: value as never,
      ...(segs.length ? { path: `$.${segs.join('.')}` } : {}),
    };
  };
  const scalar = (v: unknown): NestedCondition =>
    typeof v === 'string' ? leaf('equal', v.toLowerCase(), 'label') : typeof v === 'number' ? leaf('equal', v, 'score') : leaf('equal', v);
  if (typeof matcher !== 'object' || matcher === null) return scalar(matcher);
  if (Array.isArray(matcher)) {
    const strings = matcher.every((m) => typeof m === 'string');
    return leaf(
      'in',
      matcher.map((m: unknown) => (typeof m === 'string' ? m.toLowerCase() : m)),
      strings ? 'label' : 'score',
    );
  }
  const parts: NestedCondition[] = [];
  for (const [op, arg] of Object.entries(matcher)) {
    switch (op) {
      case 'equals':
        parts.push(scalar(arg));
        break;
      case 'below':
        parts.push(leaf('lessThan', arg, 'score'));
        break;
      case 'above':
        parts.push(leaf('greaterThan', arg, 'score'));
        break;
      case 'atLeast':
        parts.push(leaf('greaterThanInclusive', arg, 'score'));
        break;
      case 'atMost':
        parts.push(leaf('lessThanInclusive', arg, 'score'));
        break;
      case 'contains':
        parts.push(leaf('regex', wholeWords(typeof arg === 'string' ? [arg] : (arg as string[])), 'label'));
        break;
      case 'matches':
        parts.push(leaf('regex', arg, 'label'));
        break;
      default:
        throw new Error(`cannot translate matcher "${op}" of ${key}`);
    }
  }
  return parts.length === 1 ? parts[0]! : { all: parts };
}

/** Hearken's `contains`: any of the words or phrases, whole, case-insensitive. */
function wholeWords(terms: string[]): string {
  const alternatives = terms.map((t) => t.normalize('NFC').trim().split(/\s+/u).map(escapeRegex).join('\\s+'));
  return `(?<!${WORD})(?:${alternatives.join('|')})(?!${WORD})`;
}
