// The configuration module: every variable typed and checked, a bad value
// named in one line, and the README's "Configuration" table kept equal to
// the module's declarations (a variable added to one and not the other
// fails here).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoCachedWorkflows, ConfigError, loadConfig, namedSecret, readSettings, SETTINGS } from '../../src/runtime/config';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The message loadConfig throws for `env`, or null when it does not throw. */
function problemsOf(env: Record<string, string>): string[] | null {
  try {
    loadConfig(env);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
}

describe('configuration from the environment', () => {
  it('has a typed default for everything when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      workerMetricsPort: undefined,
      dataDir: path.resolve('data'),
      policiesDir: path.resolve('policies'),
      devServerPort: 7233,
      idleCloseMs: 86_400_000,
      tokensFile: undefined,
      captureRatePerMinute: 6000,
      authFailureLimit: 20,
      databaseUrl: undefined,
      rateLimitStore: undefined,
      reloadPollMs: 5000,
      trustProxy: undefined,
      captureTimeoutMs: 4000,
      temporalTimeoutMs: 10_000,
      dedupMs: 30 * 86_400_000,
      retentionMs: 31 * 86_400_000,
      maxHistoryEvents: 5000,
      maxCachedWorkflows: autoCachedWorkflows(),
      reachThresholds: { medium: 1000, high: 10_000 },
      classifierUrl: undefined,
      classifierToken: undefined,
      classifierTimeoutMs: 2000,
      pulseFlushMs: 5000,
      temporalAddress: undefined,
      namespace: 'default',
      taskQueue: 'hearken',
      temporalCli: undefined,
      searchPath: undefined,
      pathExts: ['.EXE', '.CMD', '.BAT', '.COM'],
      logLevel: 'info',
    });
  });

  it('parses what is set, and reads a blank value as unset', () => {
    const config = loadConfig({
      PORT: '0',
      HEARKEN_IDLE_CLOSE_SECONDS: '2',
      HEARKEN_MAX_CACHED_WORKFLOWS: '250',
      HEARKEN_REACH_THRESHOLDS: ' 500 , 5000 ',
      HEARKEN_CLASSIFIER_URL: 'https://classify.example/v1?model=a',
      PATH: ['/usr/bin', '', '/bin'].join(path.delimiter),
      LOG_LEVEL: 'debug',
      HOST: '   ',
      TEMPORAL_ADDRESS: '',
    });
    expect(config).toMatchObject({
      port: 0,
      idleCloseMs: 2000,
      maxCachedWorkflows: 250,
      reachThresholds: { medium: 500, high: 5000 },
      classifierUrl: 'https://classify.example/v1?model=a',
      searchPath: ['/usr/bin', '/bin'],
      logLevel: 'debug',
      host: '127.0.0.1',
      temporalAddress: undefined,
    });
  });

  it('sizes the workflow cache from the RAM by default: 1,000, fewer on a small machine, never under 100', () => {
    const GB = 1024 ** 3;
    expect(autoCachedWorkflows(23.5 * GB)).toBe(1000);
    expect(autoCachedWorkflows(1.6 * GB)).toBe(1000);
    expect(autoCachedWorkflows(1 * GB)).toBe(655);
    expect(autoCachedWorkflows(64 * 1024 ** 2)).toBe(100);
    expect(readSettings(['maxCachedWorkflows'], { HEARKEN_MAX_CACHED_WORKFLOWS: 'auto' }).maxCachedWorkflows).toBe(autoCachedWorkflows());
    expect(readSettings(['maxCachedWorkflows'], { HEARKEN_MAX_CACHED_WORKFLOWS: '0' }).maxCachedWorkflows).toBe(0);
    expect(() => readSettings(['maxCachedWorkflows'], { HEARKEN_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(
      /HEARKEN_MAX_CACHED_WORKFLOWS must be a whole number of workflows or auto/u,
    );
  });

  it('stops on a bad value with one line naming the variable, the value and what is expected', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual(['PORT must be a port number from 0 to 65535; got "abc"']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT must be a port number from 0 to 65535; got "70000"']);
    expect(problemsOf({ HEARKEN_REACH_THRESHOLDS: '5,2' })).toEqual([
      'HEARKEN_REACH_THRESHOLDS must be two follower counts "medium,high" with 0 < medium < high, like "1000,10000"; got "5,2"',
    ]);
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"',
    ]);
    expect(problemsOf({ HEARKEN_CLASSIFIER_URL: 'classifier.local:8000' })).toEqual([
      'HEARKEN_CLASSIFIER_URL must be an http(s) URL, like http://127.0.0.1:8000/classify; got "classifier.local:8000"',
    ]);
    expect(problemsOf({ HEARKEN_CLASSIFIER_TIMEOUT_MS: '0' })).toEqual([
      'HEARKEN_CLASSIFIER_TIMEOUT_MS must be a positive number of milliseconds up to 20000; got "0"',
    ]);
    expect(problemsOf({ HEARKEN_DEV_SERVER_PORT: '65000' })?.[0]).toMatch(/^HEARKEN_DEV_SERVER_PORT must be a port number from 1 to 64535/);
    expect(problemsOf({ HEARKEN_IDLE_CLOSE_SECONDS: '-1' })?.[0]).toMatch(/^HEARKEN_IDLE_CLOSE_SECONDS must be a whole number of seconds/);
  });

  it('shared rate limits need the shared database; a database URL is checked for its scheme', () => {
    expect(problemsOf({ HEARKEN_RATE_LIMIT_STORE: 'shared' })).toEqual([
      'HEARKEN_RATE_LIMIT_STORE must be "process" when HEARKEN_DATABASE_URL is unset; got "shared"',
    ]);
    expect(problemsOf({ HEARKEN_RATE_LIMIT_STORE: 'shared', HEARKEN_DATABASE_URL: 'postgres://h@db:5432/hearken' })).toBeNull();
    expect(problemsOf({ HEARKEN_DATABASE_URL: 'mysql://db/hearken' })?.[0]).toMatch(
      /^HEARKEN_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(problemsOf({ HEARKEN_RELOAD_POLL_SECONDS: '5000' })?.[0]).toMatch(
      /^HEARKEN_RELOAD_POLL_SECONDS must be a whole number of seconds up to 3600/,
    );
    expect(loadConfig({ HEARKEN_RELOAD_POLL_SECONDS: '0' }).reloadPollMs).toBe(0);
    expect(loadConfig({ HEARKEN_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ HEARKEN_TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(problemsOf({ HEARKEN_TRUST_PROXY: 'everyone' })?.[0]).toMatch(/^HEARKEN_TRUST_PROXY must be a number of hops/);
  });

  it('names every bad variable at once, each on its own line, even a value with a line break', () => {
    const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud\nvery', HEARKEN_MAX_HISTORY_EVENTS: '1.5' });
    expect(problems?.map((p) => p.split(' ')[0])).toEqual(['PORT', 'HEARKEN_MAX_HISTORY_EVENTS', 'LOG_LEVEL']);
    expect(problems?.every((p) => !p.includes('\n'))).toBe(true);
    expect(problems?.[2]).toContain('got "loud\\nvery"');
  });

  it('reads only the settings asked for: the CLI is not stopped by a service variable', () => {
    expect(readSettings(['policiesDir'], { PORT: 'abc', HEARKEN_POLICIES_DIR: 'pk' })).toEqual({ policiesDir: path.resolve('pk') });
    expect(() => readSettings(['reachThresholds'], { HEARKEN_REACH_THRESHOLDS: 'lots' })).toThrow(ConfigError);
  });

  it('looks up a pack placeholder by name, blank counting as unset', () => {
    expect(namedSecret('SECURITY_WEBHOOK_URL', { SECURITY_WEBHOOK_URL: 'https://hooks.example/x' })).toBe('https://hooks.example/x');
    expect(namedSecret('SECURITY_WEBHOOK_URL', { SECURITY_WEBHOOK_URL: ' ' })).toBeUndefined();
    expect(namedSecret('SECURITY_WEBHOOK_URL', {})).toBeUndefined();
  });

  it('a bad value stops `npm start` with that one line, no stack trace, before anything starts', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/runtime/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'abc', HEARKEN_DATA_DIR: path.join(ROOT, 'data-should-not-exist') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('Hearken did not start: PORT must be a port number from 0 to 65535; got "abc"\n');
    expect(fs.existsSync(path.join(ROOT, 'data-should-not-exist'))).toBe(false);
  }, 60_000);
});

describe('the README "Configuration" table', () => {
  interface Row {
    names: string[];
    default: string;
    what: string;
  }

  /** The rows of the first table under "## Configuration", the variables being the backticked names of the first column. */
  function readmeRows(): Row[] {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.split(/^## /mu).find((s) => s.startsWith('Configuration\n'));
    if (!section) throw new Error('README.md has no "## Configuration" section');
    const lines = section.split('\n').filter((l) => l.startsWith('|'));
    // Header and separator first; cells split on | outside backticks (none of ours holds a | anyway).
    return lines.slice(2).map((line) => {
      const [first = '', dflt = '', what = ''] = line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim());
      return { names: [...first.matchAll(/`([^`]+)`/gu)].map((m) => m[1]!), default: dflt, what };
    });
  }

  const rows = readmeRows();
  /** The row documenting `${VAR}` placeholders of teams.yaml: named by the pack, not by the config module. */
  const placeholderRows = rows.filter((r) => r.names.includes('${VAR}'));
  const variableRows = rows.filter((r) => !r.names.includes('${VAR}'));
  const declared = Object.values(SETTINGS);

  it('lists exactly the variables the config module declares, one per row', () => {
    expect(variableRows.every((r) => r.names.length === 1)).toBe(true);
    expect(variableRows.map((r) => r.names[0]).sort()).toEqual(declared.map((s) => s.env).sort());
  });

  it("shows each variable's default and description as declared", () => {
    const fromReadme = Object.fromEntries(variableRows.map((r) => [r.names[0], { default: r.default, what: r.what }]));
    for (const s of declared) {
      const row = fromReadme[s.env];
      expect(row?.what, `README description of ${s.env}`).toBe(s.description);
      if (s.default !== undefined) expect(row?.default, `README default of ${s.env}`).toBe(`\`${s.default}\``);
      // Unset by default: the cell says what happens instead (unset, SDK default, …), never a literal value.
      else expect(row?.default, `README default of ${s.env}`).not.toMatch(/^`[^`]*`$/u);
    }
  });

  it('documents the `${VAR}` placeholders with those of the shipped teams.yaml', () => {
    expect(placeholderRows).toHaveLength(1);
    const teams = fs
      .readFileSync(path.join(ROOT, 'policies/teams.yaml'), 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    const used = [...new Set([...teams.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/gu)].map((m) => m[1]!))].sort();
    expect(placeholderRows[0]!.names.filter((n) => n !== '${VAR}').sort()).toEqual(used);
    // A placeholder is a secret of the pack, not a setting: it must not shadow one.
    expect(used.filter((name) => declared.some((s) => s.env === name))).toEqual([]);
  });
});
