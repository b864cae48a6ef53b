// Loads and checks a policy pack. A care lead edits the pack in a branch, so
// every problem is reported at once, each with file:line:col and a sentence
// saying what was expected. Bad content never throws: the result says why.
//
// Stages, per file: YAML syntax → JSON Schema → meaning (references,
// durations, regexes, calendars, conditions). A file that fails a stage is
// not checked further, so one typo does not cascade into a page of errors.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import Mustache from 'mustache';
import { closest, describeAjvError, instancePathLabel, validateSchema, type SchemaName } from './schemas';
import { parseYaml, positionOf, type ParsedYaml, type PositionOptions } from './yaml-positions';
import { contentHash, packVersion } from './pack-version';
import { escapePointer } from './json-pointer';
import { isObject } from '../../util/is-object';
import { DurationError, parseDuration, parsePercent } from '../engine/duration';
import { CalendarError, normalizeCalendar } from '../engine/calendar';
import { compileCondition, MatchError } from '../engine/match';
import { checkRegex, checkRegexes, MATCH_FLAGS, type RegexVerdict } from './regex-safety';
import type { AccountSpec, BrandSpec, CalendarSpec, Condition, PolicyPack, PolicySpec, StepSpec, TeamSpec } from '../types';
import type { Calendar } from '../../shared/plan';
import { namedSecret } from '../../runtime/config';
import { checkConnectedAccounts, checkTemplateLengths } from './channel-checks';
import { PULSE_OFF, resolvePulse, type PulseConfig, type PulseSpec } from './pulse-settings';

export interface PackError {
  /** Relative to the working directory when the pack is below it. */
  file: string;
  line: number;
  col: number;
  message: string;
}

export type LoadResult = { ok: true; pack: PolicyPack; warnings: PackError[] } | { ok: false; errors: PackError[] };

/** `policies/customer-complaint.policy.yaml:7:13: priority must be a whole number, got "high"` */
export function formatPackError(e: PackError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

const POLICY_SUFFIX = '.policy.yaml';
const CASES_SUFFIX = '.cases.yaml';
const SHARED_FILES = {
  'accounts.yaml': 'accounts',
  'teams.yaml': 'teams',
  'calendars.yaml': 'calendars',
  'templates.yaml': 'templates',
  'pulse.yaml': 'pulse',
} as const;
/** Crisis overlay policies (README "Pulse and crises"), in this folder below the pack. */
const CRISIS_OVERLAY_DIR = 'overlays/crisis';
const MAX_FILE_BYTES = 1024 * 1024;

/** A pack file on its way through the stages. */
interface SourceFile {
  /** Name inside the pack folder. */
  name: string;
  /** Name for messages. */
  display: string;
  bytes: Buffer;
  yaml: ParsedYaml;
  /** The parsed value once syntax and schema passed; undefined otherwise. */
  data: unknown;
}

/** Collects errors and warnings, positioned in their files. */
class Report {
  readonly errors: PackError[] = [];
  readonly warnings: PackError[] = [];

  error(file: SourceFile, pointer: string, message: string, options?: PositionOptions): void {
    this.errors.push(this.at(file, pointer, message, options));
  }

  warn(file: SourceFile, pointer: string, message: string, options?: PositionOptions): void {
    this.warnings.push(this.at(file, pointer, message, options));
  }

  private at(file: SourceFile, pointer: string, message: string, options?: PositionOptions): PackError {
    const { line, col } = positionOf(file.yaml.doc, file.yaml.lineCounter, pointer, options);
    return { file: file.display, line, col, message };
  }
}

/** Loads the pack in `dir`; never throws for bad content. */
export async function loadPack(dir: string): Promise<LoadResult> {
  const abs = path.resolve(dir);
  let names: string[];
  try {
    names = (await readdir(abs)).sort();
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'is not a folder' : 'was not found';
    return { ok: false, errors: [{ file: displayName(abs), line: 1, col: 1, message: `policy folder ${why}` }] };
  }

  const report = new Report();
  const files = new Map<string, SourceFile>();
  for (const name of names) {
    const kind = schemaFor(name);
    if (kind === null) {
      if (/\.ya?ml$/i.test(name)) report.warnings.push(notPartOfPack(abs, name));
      continue;
    }
    const file = await readSource(abs, name, report);
    if (file) {
      validate(file, kind, report);
      files.set(name, file);
    }
  }

  if (!files.has('accounts.yaml')) {
    report.errors.push({
      file: displayName(path.join(abs, 'accounts.yaml')),
      line: 1,
      col: 1,
      message: 'missing file: a pack needs accounts.yaml (our accounts per channel)',
    });
  }
  const overlay = await readOverlay(abs, report);
  // recheck is the one slow check (up to REGEX_CHECK_TIMEOUT_MS a pattern):
  // every pattern of the pack is checked at once, off the event loop, and
  // the synchronous checks below read the verdicts.
  const regexVerdicts = await checkRegexes(matchPatterns([...files.values(), ...overlay]), MATCH_FLAGS);
  const { pulse, ...pack } = assemble(abs, files, report, regexVerdicts, overlay);
  if (report.errors.length > 0) return { ok: false, errors: sortErrors(report.errors) };

  const versioned = [...files.values()].filter((f) => !f.name.endsWith(CASES_SUFFIX));
  const version = await packVersion(abs, [
    ...versioned.map((f) => ({ name: f.name, bytes: f.bytes })),
    ...overlay.map((f) => ({ name: `${CRISIS_OVERLAY_DIR}/${f.name}`, bytes: f.bytes })),
  ]);
  return { ok: true, pack: { ...pack, pulse: { ...pulse, version: version.id }, version }, warnings: sortErrors(report.warnings) };
}

function schemaFor(name: string): SchemaName | null {
  if (name in SHARED_FILES) return SHARED_FILES[name as keyof typeof SHARED_FILES];
  if (name.endsWith(POLICY_SUFFIX) && name.length > POLICY_SUFFIX.length) return 'policy';
  if (name.endsWith(CASES_SUFFIX) && name.length > CASES_SUFFIX.length) return 'cases';
  return null;
}

function notPartOfPack(dir: string, name: string): PackError {
  return {
    file: displayName(path.join(dir, name)),
    line: 1,
    col: 1,
    message:
      'ignored: not a pack file (expected accounts.yaml, teams.yaml, calendars.yaml, templates.yaml, pulse.yaml, <id>.policy.yaml or <id>.cases.yaml)',
  };
}

async function readSource(dir: string, name: string, report: Report): Promise<SourceFile | null> {
  const full = path.join(dir, name);
  const display = displayName(full);
  let bytes: Buffer;
  try {
    bytes = await readFile(full);
  } catch (err) {
    report.errors.push({ file: display, line: 1, col: 1, message: `cannot read: ${(err as Error).message}` });
    return null;
  }
  if (bytes.length > MAX_FILE_BYTES) {
    report.errors.push({ file: display, line: 1, col: 1, message: `too large (${bytes.length} bytes; at most ${MAX_FILE_BYTES})` });
    return null;
  }
  const yaml = parseYaml(display, bytes.toString('utf8'));
  report.errors.push(...yaml.errors);
  for (const w of yaml.doc.warnings) {
    const pos = w.linePos?.[0] ?? { line: 1, col: 1 };
    report.warnings.push({ file: display, line: pos.line, col: pos.col, message: w.message.split('\n')[0] ?? w.message });
  }
  return { name, display, bytes, yaml, data: undefined };
}

/** Schema stage: on success `file.data` holds the value. */
function validate(file: SourceFile, kind: SchemaName, report: Report): void {
  if (file.yaml.errors.length > 0) return;
  const data: unknown = file.yaml.doc.toJS({ maxAliasCount: 100 });
  const errors = validateSchema(kind, data);
  for (const err of errors) {
    const message = messageFor(err);
    const [pointer, options] = pointerFor(err);
    if (message !== null) report.error(file, pointer, message, options);
  }
  if (errors.every((e) => messageFor(e) === null)) file.data = data;
}

/**
 * The sentence for a schema error. Durations and percentages get the
 * parser's own message, which says what is accepted; null when the parser
 * accepts what the (editor-friendly, approximate) pattern did not.
 */
function messageFor(err: ErrorObject): string | null {
  const title = (err.parentSchema as { title?: string } | undefined)?.title;
  if (err.keyword === 'pattern' && (title === 'Duration' || title === 'Percent') && typeof err.data === 'string') {
    try {
      if (title === 'Duration') parseDuration(err.data);
      else parsePercent(err.data);
      return null;
    } catch (e) {
      if (e instanceof DurationError) return `${instancePathLabel(err.instancePath)}: ${e.message}`;
      throw e;
    }
  }
  return describeAjvError(err);
}

/** Where an error points: at the key for unknown properties and bad keys, else at the value. */
function pointerFor(err: ErrorObject): [string, PositionOptions] {
  const key = (err.params as { additionalProperty?: string }).additionalProperty ?? err.propertyName;
  if (key !== undefined) return [`${err.instancePath}/${escapePointer(key)}`, { key: true }];
  // A missing property: point at the key that holds the incomplete mapping.
  if (err.keyword === 'required' || err.keyword === 'minProperties' || err.keyword === 'maxProperties') {
    return [err.instancePath, { key: true }];
  }
  return [err.instancePath, {}];
}

// ---------------------------------------------------------------------------
// Meaning: build the pack from the files that passed their schema.

interface RefSets {
  teams: Set<string> | null;
  calendars: Set<string> | null;
  templates: Set<string> | null;
}

type Assembled = Omit<PolicyPack, 'version' | 'pulse'> & { pulse: PulseConfig };

/** recheck's verdict on each `matches` pattern of the pack, by pattern. */
type RegexVerdicts = ReadonlyMap<string, RegexVerdict>;

function assemble(
  dir: string,
  files: Map<string, SourceFile>,
  report: Report,
  regexVerdicts: RegexVerdicts,
  overlay: SourceFile[],
): Assembled {
  const accountsFile = files.get('accounts.yaml');
  const accountsData = accountsFile?.data as { accounts: AccountSpec[]; brand?: BrandSpec } | undefined;
  if (accountsFile && accountsData) checkAccounts(accountsFile, accountsData.accounts, report);

  // Ids come from the files as written, so a calendar that fails to
  // normalize is reported once, not again at every reference to it.
  const refs: RefSets = {
    teams: idsOf(files.get('teams.yaml'), 'teams'),
    calendars: idsOf(files.get('calendars.yaml'), 'calendars'),
    templates: idsOf(files.get('templates.yaml'), 'templates'),
  };
  const calendars = buildCalendars(files.get('calendars.yaml'), report);
  const templates = buildTemplates(files.get('templates.yaml'), report);
  const teams = buildTeams(files.get('teams.yaml'), refs, report);
  const policies = checkPolicies(
    [...files.values()].filter((f) => f.name.endsWith(POLICY_SUFFIX)),
    { refs, report, regexVerdicts },
  );
  checkCaseFiles(files, report);
  checkChannels(files, accountsData?.accounts ?? [], templates, policies, calendars, report);
  const crisisOverlay =
    overlay.length > 0
      ? { policies: checkPolicies(overlay, { refs, report, regexVerdicts }), version: overlayVersion(overlay) }
      : undefined;

  return {
    pulse: buildPulse(files.get('pulse.yaml'), refs, report),
    ...(crisisOverlay ? { crisisOverlay } : {}),
    dir,
    accounts: accountsData?.accounts ?? [],
    brandNames: accountsData?.brand?.names ?? [],
    listening: accountsData?.brand?.listening ?? {},
    teams,
    calendars,
    templates,
    policies,
  };
}

/** Connected accounts, and templates that can render longer than a channel allows (src/policy/pack/channel-checks.ts). */
function checkChannels(
  files: Map<string, SourceFile>,
  accounts: AccountSpec[],
  templates: Record<string, Record<string, string>>,
  policies: PolicySpec[],
  calendars: Record<string, Calendar>,
  report: Report,
): void {
  const accountsFile = files.get('accounts.yaml');
  if (accountsFile) {
    for (const n of checkConnectedAccounts(accounts)) report[n.level === 'error' ? 'error' : 'warn'](accountsFile, n.pointer, n.message);
  }
  const templatesFile = files.get('templates.yaml');
  if (!templatesFile) return;
  const timezones = [...new Set(Object.values(calendars).map((c) => c.timezone))];
  for (const n of checkTemplateLengths({ templates, policies, accounts, timezones })) report.warn(templatesFile, n.pointer, n.message);
}

/**
 * The ids a reference may name; null when the defining file exists but is
 * broken (its own errors are reported; flagging every reference to it
 * would only add noise). A missing file defines nothing.
 */
function idsOf(file: SourceFile | undefined, key: string): Set<string> | null {
  if (!file) return new Set();
  if (file.data === undefined) return null;
  return new Set(Object.keys((file.data as Record<string, Record<string, unknown> | undefined>)[key] ?? {}));
}

function checkAccounts(file: SourceFile, accounts: AccountSpec[], report: Report): void {
  const seen = new Set<string>();
  accounts.forEach((a, i) => {
    const key = `${a.channel}:${a.handle.toLowerCase()}`;
    if (seen.has(key)) report.warn(file, `/accounts/${i}`, `accounts[${i}]: ${a.channel} account "${a.handle}" is listed twice`);
    seen.add(key);
  });
}

function buildCalendars(file: SourceFile | undefined, report: Report): Record<string, Calendar> {
  const specs = (file?.data as { calendars: Record<string, CalendarSpec> } | undefined)?.calendars ?? {};
  const calendars: Record<string, Calendar> = {};
  for (const [id, spec] of Object.entries(specs)) {
    try {
      calendars[id] = normalizeCalendar(id, spec);
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      report.error(file!, `/calendars/${escapePointer(id)}`, err.message, { key: true });
    }
  }
  return calendars;
}

function buildTemplates(file: SourceFile | undefined, report: Report): Record<string, Record<string, string>> {
  const templates = (file?.data as { templates: Record<string, Record<string, string>> } | undefined)?.templates ?? {};
  for (const [id, variants] of Object.entries(templates)) {
    for (const [language, text] of Object.entries(variants)) {
      try {
        // Unclosed {{ or a mismatched section would otherwise fail at the first reply.
        Mustache.parse(text);
      } catch (err) {
        report.error(
          file!,
          `/templates/${escapePointer(id)}/${escapePointer(language)}`,
          `templates.${id}.${language}: template syntax: ${(err as Error).message}`,
        );
      }
    }
  }
  return templates;
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Teams with `${VAR}` in webhooks expanded from the environment (through the
 * config module, the one reader of the environment). A secret
 * missing on one machine (a laptop) must not stop the pack: the webhook is
 * dropped with a warning. Expanded values are never echoed: webhook URLs
 * often carry tokens.
 */
function buildTeams(file: SourceFile | undefined, refs: RefSets, report: Report): Record<string, TeamSpec> {
  const specs = (file?.data as { teams: Record<string, TeamSpec | null> } | undefined)?.teams ?? {};
  const teams: Record<string, TeamSpec> = {};
  for (const [id, spec] of Object.entries(specs)) {
    const at = `/teams/${escapePointer(id)}`;
    const team: TeamSpec = {};
    if (spec?.calendar !== undefined) {
      const known = refs.calendars;
      if (known !== null && !known.has(spec.calendar)) {
        report.error(
          file!,
          `${at}/calendar`,
          unknownRef(`teams.${id}.calendar`, 'calendar', spec.calendar, [...known], REF_FILES.calendar),
        );
      }
      team.calendar = spec.calendar;
    }
    const raw = spec?.notify?.webhook;
    if (raw !== undefined) {
      const webhook = expandWebhook(file!, `${at}/notify/webhook`, `teams.${id}.notify.webhook`, raw, id, report);
      if (webhook !== null) team.notify = { webhook };
    }
    teams[id] = team;
  }
  return teams;
}

function expandWebhook(file: SourceFile, pointer: string, label: string, raw: string, team: string, report: Report): string | null {
  const names = [...raw.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  const missing = names.filter((name) => namedSecret(name) === undefined);
  const dropped = `team "${team}" gets no webhook notifications`;
  if (missing.length > 0) {
    report.warn(file, pointer, `${label}: environment variable ${missing.join(', ')} is not set; ${dropped}`);
    return null;
  }
  const webhook = raw.replace(PLACEHOLDER, (_, name: string) => namedSecret(name) ?? '');
  if (isHttpUrl(webhook)) return webhook;
  if (names.length === 0) report.error(file, pointer, `${label}: "${raw}" is not an http(s) URL`);
  else report.warn(file, pointer, `${label}: ${names.join(', ')} does not hold an http(s) URL; ${dropped}`);
  return null;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Pulse and crisis overlays (README "Pulse and crises")

function buildPulse(file: SourceFile | undefined, refs: RefSets, report: Report): PulseConfig {
  if (!file) return PULSE_OFF;
  if (file.data === undefined) return PULSE_OFF;
  return resolvePulse((file.data ?? {}) as PulseSpec, (pointer, message) => report.error(file, pointer, message), refs.teams);
}

/** overlays/crisis/*.policy.yaml, read and schema-checked like the pack's own policies; no folder: none. */
async function readOverlay(dir: string, report: Report): Promise<SourceFile[]> {
  const overlayDir = path.join(dir, CRISIS_OVERLAY_DIR);
  let names: string[];
  try {
    names = (await readdir(overlayDir)).sort();
  } catch {
    return [];
  }
  const files: SourceFile[] = [];
  for (const name of names) {
    if (!(name.endsWith(POLICY_SUFFIX) && name.length > POLICY_SUFFIX.length)) {
      if (/\.ya?ml$/i.test(name)) {
        report.warnings.push({
          ...notPartOfPack(overlayDir, name),
          message: 'ignored: an overlay folder holds <id>.policy.yaml files only',
        });
      }
      continue;
    }
    const file = await readSource(overlayDir, name, report);
    if (file) {
      validate(file, 'policy', report);
      files.push(file);
    }
  }
  return files;
}

function overlayVersion(files: SourceFile[]): string {
  return `overlay:${contentHash(files.map((f) => ({ name: f.name, bytes: f.bytes }))).slice(0, 12)}`;
}

// ---------------------------------------------------------------------------
// Policies

const COMMITMENT_NAMES = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const;

interface Placed {
  file: SourceFile;
  spec: PolicySpec;
}

/** What every policy's checks share. */
interface PolicyChecks {
  refs: RefSets;
  report: Report;
  regexVerdicts: RegexVerdicts;
}

function checkPolicies(files: SourceFile[], checks: PolicyChecks): PolicySpec[] {
  const { report } = checks;
  const placed: Placed[] = files.flatMap((file) => (file.data === undefined ? [] : [{ file, spec: file.data as PolicySpec }]));
  // File names are unique, so two policies share an id only when one of
  // them does not match its file name: that one is at fault, and says so.
  const byId = new Map<string, Placed>(placed.filter((p) => p.spec.id === policyIdOf(p.file)).map((p) => [p.spec.id, p]));
  const byPriority = new Map<number, Placed>();
  for (const p of placed) {
    const { file, spec } = p;
    const expected = policyIdOf(file);
    if (spec.id !== expected) {
      const owner = byId.get(spec.id);
      const clash = owner ? `duplicate policy id "${spec.id}" (already used by ${where(owner, '/id')}); ` : '';
      report.error(
        file,
        '/id',
        `${clash}id "${spec.id}" must equal the file name "${expected}" (rename the file to ${spec.id}${POLICY_SUFFIX} or change the id)`,
      );
      if (!owner) byId.set(spec.id, p);
    }

    const samePriority = byPriority.get(spec.priority);
    if (samePriority) {
      report.error(
        file,
        '/priority',
        `priority ${spec.priority} is also the priority of policy "${samePriority.spec.id}" (${where(samePriority, '/priority')}); priorities must be unique, since the highest matching policy wins`,
      );
    } else byPriority.set(spec.priority, p);

    checkPolicy(p, checks);
  }
  return placed.map((p) => p.spec).sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
}

function policyIdOf(file: SourceFile): string {
  return file.name.slice(0, -POLICY_SUFFIX.length);
}

function where(p: Placed, pointer: string): string {
  const { line, col } = positionOf(p.file.yaml.doc, p.file.yaml.lineCounter, pointer);
  return `${p.file.display}:${line}:${col}`;
}

function checkPolicy({ file, spec }: Placed, checks: PolicyChecks): void {
  const ctx: PolicyContext = { file, spec, ...checks };
  if (spec.calendar !== undefined) checkRef(ctx, '/calendar', 'calendar', spec.calendar);
  for (const name of COMMITMENT_NAMES) {
    const text = spec.commitments?.[name];
    if (text !== undefined) checkDuration(ctx, `/commitments/${name}`, text);
  }
  if (spec.commitments?.warnAt !== undefined) checkPercent(ctx, '/commitments/warnAt', spec.commitments.warnAt);
  if (spec.commitments?.onBreach) checkSteps(ctx, '/commitments/onBreach', spec.commitments.onBreach);
  checkSteps(ctx, '/steps', spec.steps);
  if (spec.when !== undefined) checkWhen(ctx, spec.when);
}

interface PolicyContext extends PolicyChecks {
  file: SourceFile;
  spec: PolicySpec;
}

const REF_FILES = { team: 'teams.yaml', calendar: 'calendars.yaml', template: 'templates.yaml' } as const;

function checkRef(ctx: PolicyContext, pointer: string, kind: keyof typeof REF_FILES, id: string): void {
  const known = ctx.refs[`${kind}s` as const];
  if (known === null || known.has(id)) return;
  ctx.report.error(ctx.file, pointer, unknownRef(instancePathLabel(pointer), kind, id, [...known], REF_FILES[kind]));
}

function unknownRef(label: string, kind: string, id: string, known: string[], file: string): string {
  const close = closest(id, known);
  const hint = close
    ? ` (did you mean "${close}"?)`
    : known.length > 0
      ? `; ${file} defines ${known.join(', ')}`
      : `; ${file} defines none`;
  return `${label}: unknown ${kind} "${id}"${hint}`;
}

function checkDuration(ctx: PolicyContext, pointer: string, text: string): void {
  const label = instancePathLabel(pointer);
  try {
    const d = parseDuration(text);
    if (d.business && ctx.spec.calendar === undefined) {
      ctx.report.error(
        ctx.file,
        pointer,
        `${label}: "${text}" counts business hours, but policy "${ctx.spec.id}" has no calendar (add e.g. "calendar: support-hours")`,
      );
    }
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    ctx.report.error(ctx.file, pointer, `${label}: ${err.message}`);
  }
}

function checkSteps(ctx: PolicyContext, pointer: string, steps: StepSpec[]): void {
  steps.forEach((step, i) => {
    const at = `${pointer}/${i}`;
    if ('interimReply' in step) checkRef(ctx, `${at}/interimReply/template`, 'template', step.interimReply.template);
    else if ('reply' in step) checkRef(ctx, `${at}/reply/template`, 'template', step.reply.template);
    else if ('notify' in step) checkRef(ctx, `${at}/notify/team`, 'team', step.notify.team);
    else if ('escalate' in step) {
      const e = step.escalate;
      checkRef(ctx, `${at}/escalate/team`, 'team', e.team);
      checkDuration(ctx, `${at}/escalate/decideWithin`, e.decideWithin);
      if (e.draft !== undefined) checkRef(ctx, `${at}/escalate/draft`, 'template', e.draft);
      if (e.remindAt !== undefined) checkPercent(ctx, `${at}/escalate/remindAt`, e.remindAt);
      if (e.onTimeout) checkSteps(ctx, `${at}/escalate/onTimeout`, e.onTimeout);
    } else if ('followUp' in step) {
      const f = step.followUp;
      checkDuration(ctx, `${at}/followUp/after`, f.after);
      if (f.template !== undefined) checkRef(ctx, `${at}/followUp/template`, 'template', f.template);
      if (f.team !== undefined) checkRef(ctx, `${at}/followUp/team`, 'team', f.team);
    }
  });
}

function checkPercent(ctx: PolicyContext, pointer: string, text: string): void {
  try {
    parsePercent(text);
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    ctx.report.error(ctx.file, pointer, `${instancePathLabel(pointer)}: ${err.message}`);
  }
}

/**
 * Regexes first, each positioned (compileCondition stops at the first
 * problem); then the matcher's own compile for anything else it rejects.
 */
function checkWhen(ctx: PolicyContext, when: Condition): void {
  let regexProblems = 0;
  walkMatchers(when, '/when', (pointer, source) => {
    const verdict = ctx.regexVerdicts.get(source);
    const problem = verdict === undefined ? checkRegex(source, MATCH_FLAGS) : verdict;
    if (problem !== null) {
      regexProblems++;
      ctx.report.error(ctx.file, pointer, `${instancePathLabel(pointer)}: ${problem}`);
    }
  });
  if (regexProblems > 0) return;
  try {
    compileCondition(when, ['when']);
  } catch (err) {
    if (!(err instanceof MatchError)) throw err;
    const pointer = `/${err.path.map((s) => escapePointer(String(s))).join('/')}`;
    ctx.report.error(ctx.file, pointer, `${instancePathLabel(pointer)}: ${err.detail}`);
  }
}

/** The `matches` patterns of every policy file that passed its schema. */
function matchPatterns(files: Iterable<SourceFile>): string[] {
  const sources: string[] = [];
  for (const file of files) {
    if (!file.name.endsWith(POLICY_SUFFIX) || file.data === undefined) continue;
    walkMatchers((file.data as PolicySpec).when, '/when', (_pointer, source) => sources.push(source));
  }
  return sources;
}

/** Calls `visit` for each `matches` pattern in a condition tree. */
function walkMatchers(cond: unknown, pointer: string, visit: (pointer: string, source: string) => void): void {
  if (!isObject(cond)) return;
  for (const [key, value] of Object.entries(cond)) {
    const at = `${pointer}/${escapePointer(key)}`;
    if (key === 'any' || key === 'all') {
      if (Array.isArray(value)) value.forEach((item, i) => walkMatchers(item, `${at}/${i}`, visit));
    } else if (key === 'not') {
      walkMatchers(value, at, visit);
    } else if (isObject(value) && typeof value.matches === 'string') {
      visit(`${at}/matches`, value.matches);
    }
  }
}

// ---------------------------------------------------------------------------
// Cases files: only their schema here (`hearken policy test` runs them), plus
// a hint when a cases file has no policy beside it (a renamed policy).

function checkCaseFiles(files: Map<string, SourceFile>, report: Report): void {
  for (const file of files.values()) {
    if (!file.name.endsWith(CASES_SUFFIX) || file.data === undefined) continue;
    const id = file.name.slice(0, -CASES_SUFFIX.length);
    if (!files.has(`${id}${POLICY_SUFFIX}`)) report.warn(file, '', `no ${id}${POLICY_SUFFIX} beside these cases`);
  }
}

// ---------------------------------------------------------------------------

/** Relative to the working directory when below it: short, and clickable in terminals and CI logs. */
function displayName(full: string): string {
  const rel = path.relative(process.cwd(), full);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : full;
}

function sortErrors(errors: PackError[]): PackError[] {
  return [...errors].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}
