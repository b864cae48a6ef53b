// accounts.yaml connects accounts (credentials only as ${ENV} references), and
// `policy check` warns when a template can render longer than a channel it
// can be sent on allows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatPackError, loadPack } from '../../src/policy/pack/load-pack';
import { excess, measure } from '../../src/channels/text-limit';
import { copyDefaultPack, editPack, removePack, writePackFile } from '../helpers/pack-fixture';

let dir: string;
beforeEach(() => {
  dir = copyDefaultPack();
});
afterEach(() => removePack(dir));

const ACCOUNTS = (extra: string) => `accounts:
  - channel: twitter
    handle: sprintcare
${extra}
brand:
  names: [Sprint]
`;

describe('text limits', () => {
  it('Bluesky counts graphemes, the others code points', () => {
    const family = '👨‍👩‍👧';
    expect(measure(family, 'graphemes')).toBe(1);
    expect(measure(family, 'characters')).toBe(5);
    expect(excess('x'.repeat(301), { max: 300, unit: 'graphemes' })).toBe(1);
    expect(excess('x'.repeat(300), { max: 300, unit: 'graphemes' })).toBe(0);
  });
});

describe('accounts.yaml: connected accounts', () => {
  it('loads a Bluesky, a Mastodon and a webhook account whose credentials are environment references', async () => {
    writePackFile(
      dir,
      'accounts.yaml',
      ACCOUNTS(`  - channel: bluesky
    handle: brand.test
    bluesky: { service: "http://localhost:2583", password: "\${HEARKEN_TEST_UNSET_BSKY}", capture: firehose }
  - channel: mastodon
    handle: brand@social.example
    mastodon: { instance: "https://social.example", token: "\${HEARKEN_TEST_UNSET_MASTO}" }
  - id: x-main
    channel: x
    handle: brand
    webhook: { secret: "\${HEARKEN_TEST_UNSET_X}", replyUrl: "https://bridge.example/replies" }`),
    );
    const result = await loadPack(dir);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pack.accounts.map((a) => a.id ?? a.channel)).toEqual(['twitter', 'bluesky', 'mastodon', 'x-main']);
    const warnings = result.warnings.map(formatPackError).join('\n');
    expect(warnings).toMatch(
      /accounts\.yaml:\d+:\d+: accounts\[1\]\.bluesky\.password: environment variable HEARKEN_TEST_UNSET_BSKY is not set/,
    );
    expect(warnings).toMatch(/accounts\[3\]\.webhook\.secret: environment variable HEARKEN_TEST_UNSET_X is not set; account "x-main"/);
  });

  it('refuses a credential written into the file', async () => {
    writePackFile(
      dir,
      'accounts.yaml',
      ACCOUNTS(`  - channel: mastodon
    handle: brand@social.example
    mastodon: { instance: "https://social.example", token: "abc123secret" }`),
    );
    const result = await loadPack(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.errors.map(formatPackError).join('\n');
    expect(text).toMatch(/accounts\.yaml:6:\d+: .*token.*environment variable reference like \$\{NAME\}/);
    expect(text).not.toMatch(/abc123secret/);
  });

  it('refuses two connected accounts with one id, and an account connected two ways', async () => {
    writePackFile(
      dir,
      'accounts.yaml',
      ACCOUNTS(`  - channel: mastodon
    handle: a@social.example
    mastodon: { instance: "https://social.example", token: "\${T1}" }
  - channel: mastodon
    handle: b@social.example
    mastodon: { instance: "https://social.example", token: "\${T2}" }
    webhook: { secret: "\${T3}" }`),
    );
    const result = await loadPack(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.errors.map(formatPackError).join('\n');
    expect(text).toMatch(/accounts\[2\]: connect an account one way only; it has mastodon and webhook/);
    expect(text).toMatch(
      /accounts\[2\]: connected account id "mastodon" is also the id of accounts\[1\]; give each connected account its own `id`/,
    );
  });
});

describe('policy check: templates against channel limits', () => {
  it('warns when a template can exceed the limit of a channel it can be sent on, naming template, language and channel', async () => {
    writePackFile(dir, 'accounts.yaml', ACCOUNTS('  - channel: bluesky\n    handle: brand.test'));
    editPack(
      dir,
      'templates.yaml',
      `    en: "Thanks for the idea, {{author.name}}! We've passed it on to our product team."`,
      `    en: "Thanks for the idea, {{author.name}}! ${'We have passed it on to our product team. '.repeat(6)}"`,
    );
    const result = await loadPack(dir);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const warnings = result.warnings.map(formatPackError);
    const bluesky = warnings.filter((w) => /idea-thanks\.en: can render to \d+ graphemes on bluesky, which allows 300 graphemes/.test(w));
    expect(bluesky).toHaveLength(1);
    expect(bluesky[0]).toMatch(/templates\.yaml:\d+:\d+: templates\.idea-thanks\.en: /u);
    expect(warnings.some((w) => /idea-thanks\.en: .* on twitter, which allows 280 characters/.test(w))).toBe(true);
    // The German variant is short enough everywhere.
    expect(warnings.some((w) => /idea-thanks\.de/.test(w))).toBe(false);
  });

  it('a policy restricted to other channels does not warn for a channel it is never sent on', async () => {
    writePackFile(dir, 'accounts.yaml', ACCOUNTS('  - channel: bluesky\n    handle: brand.test'));
    editPack(
      dir,
      'templates.yaml',
      `    en: "Thanks for the idea, {{author.name}}! We've passed it on to our product team."`,
      `    en: "Thanks for the idea, {{author.name}}! ${'x'.repeat(250)}"`,
    );
    editPack(dir, 'idea.policy.yaml', 'when:\n', 'when:\n  channel: [twitter]\n');
    const result = await loadPack(dir);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const warnings = result.warnings.map(formatPackError);
    expect(warnings.some((w) => /idea-thanks\.en: .* on bluesky/.test(w))).toBe(false);
    expect(warnings.some((w) => /idea-thanks\.en: .* on twitter/.test(w))).toBe(true);
  });
});
