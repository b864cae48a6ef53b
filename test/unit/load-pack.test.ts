import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { formatPackError, loadPack, type LoadResult, type PackError } from '../../src/policy/pack/load-pack';
import { copyDefaultPack, DEFAULT_PACK, editPack, removePack, writePackFile } from '../helpers/pack-fixture';

let dir: string;
let savedWebhook: string | undefined;

beforeEach(() => {
  dir = copyDefaultPack();
  savedWebhook = process.env.SECURITY_WEBHOOK_URL;
  delete process.env.SECURITY_WEBHOOK_URL;
});

afterEach(() => {
  removePack(dir);
  if (savedWebhook === undefined) delete process.env.SECURITY_WEBHOOK_URL;
  else process.env.SECURITY_WEBHOOK_URL = savedWebhook;
});

function errorsOf(result: LoadResult): PackError[] {
  if (result.ok) throw new Error('expected the pack to be rejected, but it loaded');
  return result.errors;
}

/** The pack is rejected with exactly this one error. */
async function expectOnlyError(file: string, line: number, col: number, message: string | RegExp): Promise<PackError> {
  const errors = errorsOf(await loadPack(dir));
  expect(errors.map(formatPackError)).toHaveLength(1);
  const [e] = errors as [PackError];
  expect(path.basename(e.file)).toBe(file);
  expect({ line: e.line, col: e.col }).toEqual({ line, col });
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  return e;
}

describe('the default pack', () => {
  it('loads with no errors, policies highest priority first', async () => {
    const result = await loadPack(DEFAULT_PACK);
    if (!result.ok) throw new Error(result.errors.map(formatPackError).join('\n'));
    expect(result.pack.policies.map((p) => [p.id, p.priority])).toEqual([
      ['security-incident', 100],
      ['troll', 90],
      ['opinion-leader', 80],
      ['hr', 75],
      ['customer-complaint', 70],
      ['question', 50],
      ['idea', 40],
      ['praise', 30],
      ['addressed-default', 10],
      ['overheard', 0],
    ]);
    expect(Object.keys(result.pack.calendars)).toEqual(['support-hours', 'always']);
    expect(result.pack.accounts).toContainEqual({ channel: 'twitter', handle: 'sprintcare' });
    expect(result.pack.brandNames).toEqual(['Sprint', 'Sprint Care']);
  });

  it('without SECURITY_WEBHOOK_URL the security team has no webhook, and a warning says why', async () => {
    const result = await loadPack(dir);
    if (!result.ok) throw new Error(result.errors.map(formatPackError).join('\n'));
    expect(result.pack.teams.security).toEqual({ calendar: 'always' });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ line: 7, col: 52 });
    expect(result.warnings[0]!.message).toContain('SECURITY_WEBHOOK_URL is not set');
  });

  it('with SECURITY_WEBHOOK_URL set the webhook is expanded', async () => {
    process.env.SECURITY_WEBHOOK_URL = 'https://hooks.example/security';
    const result = await loadPack(dir);
    if (!result.ok) throw new Error('pack rejected');
    expect(result.pack.teams.security?.notify).toEqual({ webhook: 'https://hooks.example/security' });
    expect(result.warnings).toEqual([]);
  });

  it('names files relative to the working directory when the pack is below it', async () => {
    const result = await loadPack(DEFAULT_PACK);
    if (!result.ok) throw new Error('pack rejected');
    expect(result.warnings[0]?.file).toBe(path.join(path.relative(process.cwd(), DEFAULT_PACK), 'teams.yaml'));
  });
});

describe('a broken pack names file, line and column', () => {
  it('listening terms under a key that is no language', async () => {
    editPack(dir, 'accounts.yaml', '    de:\n', '    German:\n');
    await expectOnlyError('accounts.yaml', 38, 5, /brand\.listening.*German.*must be a language code like en or de, or any/u);
  });

  it('a listening term with a * inside', async () => {
    editPack(dir, 'accounts.yaml', '- "scrum*"', '- "scr*m"');
    await expectOnlyError('accounts.yaml', 26, 11, /brand\.listening\.any\.exclude\[5\].*with \* only at the end/u);
  });

  it('an unknown listening field suggests the right one', async () => {
    editPack(dir, 'accounts.yaml', '    de:\n      include:', '    de:\n      includes:');
    await expectOnlyError('accounts.yaml', 39, 7, /unknown property "includes" \(did you mean "include"\?\)/u);
  });

  it('YAML syntax error', async () => {
    editPack(dir, 'question.policy.yaml', 'intent: question', 'intent: question\n  bad');
    await expectOnlyError('question.policy.yaml', 8, 3, 'Implicit map keys need to be followed by map values');
  });

  it('wrong type: priority: high', async () => {
    editPack(dir, 'praise.policy.yaml', 'priority: 30', 'priority: high');
    await expectOnlyError('praise.policy.yaml', 4, 11, 'priority must be a whole number, got "high"');
  });

  it('unknown property points at the key and suggests the right one', async () => {
    editPack(dir, 'praise.policy.yaml', 'priority: 30', 'prority: 30');
    const errors = errorsOf(await loadPack(dir)).map((e) => `${e.line}:${e.col}: ${e.message}`);
    expect(errors).toEqual(['2:1: missing required property "priority"', '4:1: unknown property "prority" (did you mean "priority"?)']);
  });

  it('unknown template', async () => {
    editPack(dir, 'praise.policy.yaml', 'template: thanks', 'template: thank-you');
    await expectOnlyError(
      'praise.policy.yaml',
      11,
      24,
      /^steps\[0\]\.reply\.template: unknown template "thank-you"; templates\.yaml defines ack-question, /,
    );
  });

  it('unknown team', async () => {
    editPack(dir, 'idea.policy.yaml', 'team: product', 'team: products');
    await expectOnlyError('idea.policy.yaml', 12, 21, 'steps[1].notify.team: unknown team "products" (did you mean "product"?)');
  });

  it('unknown calendar in a policy', async () => {
    editPack(dir, 'question.policy.yaml', 'calendar: support-hours', 'calendar: office-hours');
    await expectOnlyError(
      'question.policy.yaml',
      8,
      11,
      'calendar: unknown calendar "office-hours"; calendars.yaml defines support-hours, always',
    );
  });

  it('unknown calendar in teams.yaml', async () => {
    editPack(dir, 'teams.yaml', 'pr: { calendar: support-hours }', 'pr: { calendar: office }');
    await expectOnlyError(
      'teams.yaml',
      8,
      19,
      'teams.pr.calendar: unknown calendar "office"; calendars.yaml defines support-hours, always',
    );
  });

  it("duplicate id: the file that took another policy's id is at fault", async () => {
    editPack(dir, 'idea.policy.yaml', 'id: idea', 'id: praise');
    const e = await expectOnlyError(
      'idea.policy.yaml',
      2,
      5,
      /^duplicate policy id "praise" \(already used by .*praise\.policy\.yaml:2:5\); id "praise" must equal the file name "idea"/,
    );
    expect(e.message).toContain('rename the file to praise.policy.yaml');
  });

  it('duplicate priority names the other policy and its file', async () => {
    editPack(dir, 'idea.policy.yaml', 'priority: 40', 'priority: 30');
    await expectOnlyError(
      'praise.policy.yaml',
      4,
      11,
      /^priority 30 is also the priority of policy "idea" \(.*idea\.policy\.yaml:4:11\); priorities must be unique/,
    );
  });

  it("bad duration, with the duration parser's own message", async () => {
    editPack(dir, 'question.policy.yaml', 'decideWithin: 1h business', 'decideWithin: 1 hour');
    await expectOnlyError(
      'question.policy.yaml',
      19,
      21,
      'steps[1].escalate.decideWithin: "1 hour" is not a duration: use 90s, 15m, 2h, 1d or ISO 8601 like PT15M, optionally followed by " business"',
    );
  });

  it('a zero duration passes the schema but not the parser', async () => {
    editPack(dir, 'question.policy.yaml', 'firstResponse: 15m', 'firstResponse: 0m');
    await expectOnlyError('question.policy.yaml', 10, 18, 'commitments.firstResponse: "0m" is not a duration: it must be longer than zero');
  });

  it('remindAt outside 0–100 %', async () => {
    editPack(dir, 'question.policy.yaml', 'remindAt: 75%', 'remindAt: 150%');
    await expectOnlyError('question.policy.yaml', 20, 17, /^steps\[1\]\.escalate\.remindAt: "150%" is not a percentage/);
  });

  it('warnAt outside 0–100 %', async () => {
    editPack(dir, 'question.policy.yaml', 'resolution: 2h business', 'resolution: 2h business\n  warnAt: 120%');
    await expectOnlyError('question.policy.yaml', 13, 11, /^commitments\.warnAt: "120%" is not a percentage/);
  });

  it('invalid regex', async () => {
    editPack(dir, 'praise.policy.yaml', 'intent: praise', 'intent: praise\n  text: { matches: "(thank" }');
    await expectOnlyError('praise.policy.yaml', 8, 20, 'when.text.matches: Invalid regular expression: /(thank/iu: Unterminated group');
  });

  it('catastrophic-backtracking regex', async () => {
    editPack(dir, 'praise.policy.yaml', 'intent: praise', 'intent: praise\n  text: { matches: "(a+)+$" }');
    await expectOnlyError('praise.policy.yaml', 8, 20, /^when\.text\.matches: pattern may backtrack catastrophically/);
  });

  it('quadratic regex (recheck rejects polynomial backtracking too)', async () => {
    editPack(dir, 'praise.policy.yaml', 'intent: praise', 'intent: praise\n  text: { matches: "\\\\d+-\\\\d+" }');
    await expectOnlyError(
      'praise.policy.yaml',
      8,
      20,
      /^when\.text\.matches: pattern may backtrack catastrophically \(recheck finds quadratic time/,
    );
  });

  it('a safe regex loads', async () => {
    editPack(dir, 'praise.policy.yaml', 'intent: praise', 'intent: praise\n  text: { matches: "\\\\bbill(ed|ing)?\\\\b" }');
    const result = await loadPack(dir);
    if (!result.ok) throw new Error(result.errors.map(formatPackError).join('\n'));
    expect(result.pack.policies.find((p) => p.id === 'praise')?.when).toMatchObject({ text: { matches: '\\bbill(ed|ing)?\\b' } });
  });

  it('business duration in a policy without a calendar', async () => {
    editPack(dir, 'opinion-leader.policy.yaml', 'decideWithin: 30m\n      remindAt', 'decideWithin: 30m business\n      remindAt');
    await expectOnlyError(
      'opinion-leader.policy.yaml',
      16,
      21,
      'steps[1].escalate.decideWithin: "30m business" counts business hours, but policy "opinion-leader" has no calendar (add e.g. "calendar: support-hours")',
    );
  });

  it('id different from the file name', async () => {
    editPack(dir, 'overheard.policy.yaml', 'id: overheard', 'id: over-heard');
    await expectOnlyError(
      'overheard.policy.yaml',
      2,
      5,
      'id "over-heard" must equal the file name "overheard" (rename the file to over-heard.policy.yaml or change the id)',
    );
  });

  it('a calendar that does not normalize is reported at the calendar', async () => {
    editPack(dir, 'calendars.yaml', 'Europe/Berlin', 'Europe/Berlinn');
    await expectOnlyError(
      'calendars.yaml',
      4,
      3,
      'calendar "support-hours": "Europe/Berlinn" is not an IANA time zone such as Europe/Berlin',
    );
  });

  it('a step with two kinds', async () => {
    editPack(dir, 'praise.policy.yaml', '  - reply: { template: thanks }', '  - reply: { template: thanks }\n    notify: { team: pr }');
    await expectOnlyError(
      'praise.policy.yaml',
      11,
      5,
      'steps[0]: expected exactly one of ignore, interimReply, reply, escalate, followUp, notify, found "reply" and "notify"',
    );
  });

  it('a misspelt condition field', async () => {
    editPack(dir, 'praise.policy.yaml', 'intent: praise', 'intnet: praise');
    await expectOnlyError('praise.policy.yaml', 7, 3, 'when: unknown property "intnet" (did you mean "intent"?)');
  });

  it('a misspelt intent collapses the anyOf noise into one sentence', async () => {
    editPack(dir, 'praise.policy.yaml', 'intent: praise', 'intent: prase');
    await expectOnlyError(
      'praise.policy.yaml',
      7,
      11,
      'when.intent must be one of question, complaint, praise, idea, security, spam, other, got "prase" (did you mean "praise"?)',
    );
  });

  it('a misspelt matcher', async () => {
    editPack(dir, 'praise.policy.yaml', 'intent: praise', 'intent: praise\n  sentiment: { blow: 0.2 }');
    await expectOnlyError('praise.policy.yaml', 8, 16, 'when.sentiment: unknown property "blow" (did you mean "below"?)');
  });

  it('followUp with neither template nor team', async () => {
    editPack(dir, 'customer-complaint.policy.yaml', '      template: complaint-follow-up\n', '');
    await expectOnlyError('customer-complaint.policy.yaml', 24, 5, 'steps[2].followUp: missing required property "template" or "team"');
  });

  it('a broken template placeholder', async () => {
    editPack(dir, 'templates.yaml', 'Thank you, {{author.name}}!', 'Thank you, {{author.name}!');
    await expectOnlyError('templates.yaml', 20, 9, /^templates\.thanks\.en: template syntax: Unclosed tag/);
  });

  it('a team id that is not kebab-case points at the key', async () => {
    editPack(dir, 'teams.yaml', '  pr: {', '  Public Relations: {');
    await expectOnlyError(
      'teams.yaml',
      8,
      3,
      'teams: key "Public Relations" must be kebab-case (lower-case letters, digits and dashes, like customer-care)',
    );
  });

  it('cases files are validated too', async () => {
    editPack(dir, 'praise.cases.yaml', 'author: { handle: rosa }', 'author: { name: Rosa }');
    await expectOnlyError('praise.cases.yaml', 4, 41, 'cases[0].post.author: missing required property "id" or "handle"');
  });

  it('reports every broken file at once', async () => {
    editPack(dir, 'praise.policy.yaml', 'priority: 30', 'priority: high');
    editPack(dir, 'idea.policy.yaml', 'team: product', 'team: products');
    editPack(dir, 'calendars.yaml', 'Europe/Berlin', 'Europe/Berlinn');
    const files = errorsOf(await loadPack(dir)).map((e) => path.basename(e.file));
    expect(files).toEqual(['calendars.yaml', 'idea.policy.yaml', 'praise.policy.yaml']);
  });

  it('a missing folder is an error entry, not an exception', async () => {
    const errors = errorsOf(await loadPack(path.join(dir, 'nope')));
    expect(errors).toEqual([{ file: path.join(dir, 'nope'), line: 1, col: 1, message: 'policy folder was not found' }]);
  });

  it('a stray YAML file is a warning, not an error', async () => {
    writePackFile(dir, 'praise.policy.yml', 'id: praise\n');
    const result = await loadPack(dir);
    if (!result.ok) throw new Error('pack rejected');
    expect(result.warnings.map((w) => path.basename(w.file))).toContain('praise.policy.yml');
  });
});

describe('formatPackError', () => {
  it('prints file:line:col: message', () => {
    expect(
      formatPackError({ file: 'policies/praise.policy.yaml', line: 4, col: 11, message: 'priority must be a whole number, got "high"' }),
    ).toBe('policies/praise.policy.yaml:4:11: priority must be a whole number, got "high"');
  });
});
