// Two workers running different policy packs (a deploy that reached one host
// and not the other): a real dev server, two worker processes as `npm run
// worker` runs them, each with its own copy of the pack, and an API. The
// mismatch shows on GET /healthz (degraded), GET /v1/policies and /metrics,
// naming which worker runs which version; once the second worker's pack is
// brought in line (a reload, no restart), it clears.
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../src/policy/pack/load-pack';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { copyDefaultPack, editPack, removePack } from '../helpers/pack-fixture';
import { spawnHearken, type Child } from '../helpers/processes';
import { eventually, getJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';

const run = temporalAvailable() ? describe : describe.skip;

async function versionOf(dir: string): Promise<string> {
  const loaded = await loadPack(dir);
  if (!loaded.ok) throw new Error(`pack ${dir} does not load`);
  return loaded.pack.version.id;
}

run('policy pack versions across workers', () => {
  let server: DevServer;
  let api: TestService;
  const workers: Child[] = [];
  let packA: string;
  let packB: string;
  let versionA: string;
  let versionB: string;
  const taskQueue = `packs-${Math.random().toString(36).slice(2, 8)}`;
  const identity = (w: Child) => `${w.proc.pid}@${os.hostname()}`;

  beforeAll(async () => {
    server = await startTestServer();
    packA = copyDefaultPack();
    packB = copyDefaultPack();
    editPack(packB, 'templates.yaml', 'sorry about this!', 'so sorry about this!');
    [versionA, versionB] = await Promise.all([versionOf(packA), versionOf(packB)]);
    expect(versionA).not.toBe(versionB);
    for (const pack of [packA, packB]) {
      workers.push(
        spawnHearken('src/runtime/worker-main.ts', {
          TEMPORAL_ADDRESS: server.address,
          HEARKEN_DATA_DIR: tempDir('worker'),
          HEARKEN_POLICIES_DIR: pack,
          TEMPORAL_TASK_QUEUE: taskQueue,
        }),
      );
    }
    await Promise.all(workers.map((w) => w.waitFor('Hearken is running', 90_000)));
    api = await startTestService({
      temporalAddress: server.address,
      workflowBundle: await bundleWorkflows(),
      worker: false,
      policiesDir: packA,
      taskQueue,
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await api?.stop();
    await server?.stop();
    for (const pack of [packA, packB]) if (pack) removePack(pack);
  });

  it('GET /healthz is degraded and names which worker runs which version', async () => {
    const [one, two] = workers as [Child, Child];
    const health = await eventually(
      async () => {
        const res = await getJson(`${api.url}/healthz`, {});
        return res.body?.checks?.packs?.status === 'mismatch' ? res : null;
      },
      60_000,
      'a pack mismatch on /healthz',
    );
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    const packs = health.body.checks.packs;
    expect(packs.versions).toEqual(
      expect.arrayContaining([
        { version: versionA, workers: [identity(one)], thisProcess: true },
        { version: versionB, workers: [identity(two)], thisProcess: false },
      ]),
    );
    expect(packs.versions).toHaveLength(2);
    expect(packs.workers.map((w: { identity: string }) => w.identity).sort()).toEqual([identity(one), identity(two)].sort());
    expect(packs.detail).toMatch(/^2 policy pack versions in use: /);
  });

  it('GET /v1/policies shows the same to a person, and /metrics counts the versions', async () => {
    const policies = await getJson(`${api.url}/v1/policies`);
    expect(policies.status).toBe(200);
    expect(policies.body.version.id).toBe(versionA);
    expect(policies.body.workers.status).toBe('mismatch');
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/^hearken_pack_versions 2$/m);
    expect(metrics).toContain(`hearken_pack_version_workers{version="${versionB}"} 1`);
  });

  it('when the second worker reloads the same pack, the mismatch clears without a restart', async () => {
    editPack(packB, 'templates.yaml', 'so sorry about this!', 'sorry about this!');
    expect(await versionOf(packB)).toBe(versionA);
    const health = await eventually(
      async () => {
        const res = await getJson(`${api.url}/healthz`, {});
        return res.body?.checks?.packs?.status === 'ok' ? res : null;
      },
      60_000,
      'the mismatch cleared',
    );
    expect(health.body.status).toBe('ok');
    expect(health.body.checks.packs.versions).toEqual([{ version: versionA, workers: workers.map(identity).sort(), thisProcess: true }]);
    // Both workers are still the ones that started: reloaded, not restarted.
    expect(workers.every((w) => w.proc.exitCode === null)).toBe(true);
    expect(fs.existsSync(packB)).toBe(true);
  });
});
