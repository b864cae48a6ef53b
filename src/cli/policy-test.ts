// `hearken policy test [dir]`: runs every <id>.cases.yaml of a pack through
// the worker's own assess() and compares what each case expects. Only what a
// case lists is checked; deadlines compare as instants, not as strings.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { Post } from '../shared/post';
import { assess, type Assessment } from '../policy/engine/assess';
import type { Triage } from '../shared/triage';
import { displayPath, EXIT, inZone, openPack, policiesDir, type OpenedPack, zoneOfIso } from './common';

/** A case as cases.schema.json allows it (the pack loader validated it). */
export interface Case {
  name: string;
  post: Post;
  expect: {
    policy: string | null;
    steps?: string[];
    deadlines?: Partial<Record<'firstResponse' | 'resolution', string>>;
    triage?: Partial<Omit<Triage, 'sentiment'>> & { sentiment?: Partial<Triage['sentiment']> };
  };
}

/** `[dir]` as given on the command line; undefined for the default folder. */
export async function runCases(given: string | undefined): Promise<number> {
  const dir = policiesDir(given);
  const opened = await openPack(dir);
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cases.yaml') && name !== '.cases.yaml').sort();
  let passed = 0;
  let failed = 0;
  for (const name of files) {
    const full = path.join(dir, name);
    const { cases } = parse(await readFile(full, 'utf8')) as { cases: Case[] };
    for (const c of cases) {
      const differences = runCase(opened, c);
      if (differences.length === 0) {
        passed++;
        process.stdout.write(`ok   ${displayPath(full)} › ${c.name}\n`);
      } else {
        failed++;
        process.stdout.write(`FAIL ${displayPath(full)} › ${c.name}: ${differences.join('; ')}\n`);
      }
    }
  }
  if (files.length === 0) process.stderr.write(`warning: ${displayPath(dir)} has no *.cases.yaml files\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

/** What differs between the case's expectations and the outcome; empty when it passes. */
export function runCase({ pack, compiled, triage }: OpenedPack, c: Case): string[] {
  let outcome: Assessment;
  try {
    outcome = assess(pack, compiled, c.post, triage);
  } catch (err) {
    return [`the post could not be assessed: ${(err as Error).message}`];
  }
  return compare(c.expect, outcome);
}

export function compare(expect: Case['expect'], { triage, plan }: Assessment): string[] {
  const out: string[] = [];
  const actualPolicy = plan.candidates.length > 0 ? plan.policy.id : null;
  if (expect.policy !== actualPolicy) out.push(`policy: expected ${policyName(expect.policy)}, got ${policyName(actualPolicy)}`);

  if (expect.steps) {
    const kinds = plan.steps.map((s) => s.kind);
    const leading = kinds.slice(0, expect.steps.length);
    if (leading.length !== expect.steps.length || leading.some((k, i) => k !== expect.steps![i])) {
      out.push(`steps: expected [${expect.steps.join(', ')}] first, got [${kinds.join(', ')}]`);
    }
  }

  for (const [name, expected] of Object.entries(expect.deadlines ?? {})) {
    const actual = plan.deadlines[name as keyof typeof plan.deadlines];
    if (actual === undefined) out.push(`deadlines.${name}: expected ${expected}, got none (the policy fixes no ${name} deadline)`);
    else if (Date.parse(actual) !== Date.parse(expected)) {
      out.push(`deadlines.${name}: expected ${expected}, got ${inZone(actual, zoneOfIso(expected))}`);
    }
  }

  for (const [field, expected] of Object.entries(expect.triage ?? {})) {
    const actual = (triage as unknown as Record<string, unknown>)[field];
    if (field === 'sentiment') {
      for (const [part, value] of Object.entries(expected as Record<string, unknown>)) {
        const got = (actual as Record<string, unknown>)[part];
        if (got !== value) out.push(`triage.sentiment.${part}: expected ${show(value)}, got ${show(got)}`);
      }
    } else if (JSON.stringify(sortedIfList(actual)) !== JSON.stringify(sortedIfList(expected))) {
      out.push(`triage.${field}: expected ${show(expected)}, got ${show(actual)}`);
    }
  }
  return out;
}

/** Risk flags are a set: their order carries no meaning. */
function sortedIfList(value: unknown): unknown {
  return Array.isArray(value) ? [...(value as unknown[])].map(String).sort() : value;
}

function policyName(id: string | null): string {
  return id ?? 'null (no policy matched)';
}

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
