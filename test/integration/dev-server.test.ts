import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { describe, it, expect } from 'vitest';
import { readSettings } from '../../src/runtime/config';
import { BINARY_SETTINGS, findTemporalCli } from '../../src/runtime/temporal/binaries';
import { DevServerStartError, startDevServer } from '../../src/runtime/temporal/dev-server';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { isPortFree, pickFreePort } from '../../src/runtime/temporal/ports';

const cli = findTemporalCli(readSettings(BINARY_SETTINGS));
const MISSING_CLI =
  'The Temporal CLI was not found ($TEMPORAL_CLI, .tools/bin/temporal, PATH). ' +
  'Run `npm install` (its postinstall fills .tools/) or `node scripts/install-temporal.mjs`.';

const inCi = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());

if (!cli && inCi) {
  // In CI a missing CLI is a broken set-up, never a reason to skip.
  describe('Temporal dev server', () => {
    it('has a Temporal CLI', () => {
      expect.fail(MISSING_CLI);
    });
  });
}

/** A gRPC port whose UI port (port + 1000) is free too. */
async function pickDevServerPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await pickFreePort();
    if (port + 1000 <= 65535 && (await isPortFree(port + 1000))) return port;
  }
  throw new Error('no free port pair found');
}

// The enum as listSearchAttributes returns it: the proto's own names, not a copied table.
const { IndexedValueType } = temporal.api.enums.v1;

async function customAttributes(address: string, namespace: string): Promise<Record<string, number>> {
  const connection = await Connection.connect({ address });
  try {
    const res = await connection.operatorService.listSearchAttributes({ namespace });
    return { ...res.customAttributes };
  } finally {
    await connection.close();
  }
}

describe.skipIf(process.platform === 'win32')('Temporal dev server start-up failure', () => {
  it('reports the server output when the server exits during start-up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-devserver-'));
    const fakeCli = path.join(dir, 'temporal');
    fs.writeFileSync(fakeCli, '#!/bin/sh\necho "starting" ; echo "boom: unknown flag" >&2 ; exit 3\n', { mode: 0o755 });
    try {
      const started = Date.now();
      const port = await pickDevServerPort();
      const err: unknown = await startDevServer({ cli: fakeCli, dataDir: path.join(dir, 'data'), port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DevServerStartError);
      expect((err as Error).message).toMatch(/exited during start-up \(code 3/);
      expect((err as Error).message).toContain('boom: unknown flag');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!cli || process.platform === 'win32')('Temporal dev server losing a port race', () => {
  it('starts again when the server lost a race for a port it picked itself', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-devserver-'));
    // The first start dies as the real server does when another process took
    // its "random free" HTTP port first; the next start is the real server.
    const wrapper = path.join(dir, 'temporal');
    const marker = path.join(dir, 'first-start-done');
    fs.writeFileSync(
      wrapper,
      `#!/bin/sh\nif [ ! -e "${marker}" ]; then touch "${marker}"; echo "panic: listen tcp 127.0.0.1:41234: bind: address already in use" >&2; exit 2; fi\nexec "${cli}" "$@"\n`,
      { mode: 0o755 },
    );
    const lines: string[] = [];
    let server: DevServer | null = null;
    try {
      server = await startDevServer({
        cli: wrapper,
        dataDir: path.join(dir, 'data'),
        port: await pickDevServerPort(),
        headless: true,
        log: (l) => lines.push(l),
      });
      expect(fs.existsSync(marker)).toBe(true);
      expect(lines.join('\n')).toContain('lost a race for a port it picked (attempt 1)');
    } finally {
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!cli)('Temporal dev server', () => {
  it('starts with search attributes, stops, and restarts on the same data folder', { timeout: 180_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-devserver-'));
    const namespace = 'hearken-test';
    const lines: string[] = [];
    let server: DevServer | null = null;
    try {
      const port = await pickDevServerPort();
      const first = [
        defineSearchAttributeKey('HearkenTestStatus', SearchAttributeType.KEYWORD),
        defineSearchAttributeKey('HearkenTestDeadline', SearchAttributeType.DATETIME),
      ];
      server = await startDevServer({
        cli: cli!,
        dataDir,
        port,
        namespace,
        searchAttributes: first,
        log: (line) => lines.push(line),
      });
      expect(server.address).toBe(`127.0.0.1:${port}`);
      expect(server.uiUrl).toBe(`http://127.0.0.1:${port + 1000}`);
      expect(fs.existsSync(path.join(dataDir, 'temporal.sqlite'))).toBe(true);

      let attrs = await customAttributes(server.address, namespace);
      expect(attrs.HearkenTestStatus).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      expect(attrs.HearkenTestDeadline).toBe(IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);

      await server.stop();
      await server.stop(); // idempotent
      expect(await isPortFree(port)).toBe(true);
      server = null;

      // Restart on the existing SQLite file, headless, with one more attribute:
      // the CLI ignores --search-attribute on an existing file, startDevServer
      // must add the new one itself.
      server = await startDevServer({
        cli: cli!,
        dataDir,
        port,
        namespace,
        headless: true,
        searchAttributes: [...first, defineSearchAttributeKey('HearkenTestBreached', SearchAttributeType.BOOL)],
        log: (line) => lines.push(line),
      });
      expect(server.uiUrl).toBeNull();
      attrs = await customAttributes(server.address, namespace);
      expect(attrs.HearkenTestStatus).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      expect(attrs.HearkenTestDeadline).toBe(IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
      expect(attrs.HearkenTestBreached).toBe(IndexedValueType.INDEXED_VALUE_TYPE_BOOL);

      const connection = await Connection.connect({ address: server.address });
      try {
        const ns = await connection.workflowService.describeNamespace({ namespace });
        expect(ns.namespaceInfo?.name).toBe(namespace);
      } finally {
        await connection.close();
      }

      await server.stop();
      expect((await server.exited).code).not.toBeNull();
      server = null;
    } catch (err) {
      if (lines.length) console.error(`temporal output:\n${lines.slice(-40).join('\n')}`);
      throw err;
    } finally {
      await server?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a port in use', { timeout: 60_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-devserver-'));
    const port = await pickDevServerPort();
    const server = await startDevServer({ cli: cli!, dataDir, port, headless: true });
    try {
      await expect(startDevServer({ cli: cli!, dataDir: `${dataDir}-2`, port, headless: true, portWaitMs: 500 })).rejects.toThrow(/in use/);
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(`${dataDir}-2`, { recursive: true, force: true });
    }
  });
});
