// Records the event history of every policy path from real runs on a real
// dev server into test/fixtures/histories/, for the replay guard in npm test.
// Run after an intentional workflow change (with patched() where needed):
//   npx tsx scripts/record-histories.ts
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readSettings } from '../src/runtime/config';
import { BINARY_SETTINGS, requireTemporalCli } from '../src/runtime/temporal/binaries';
import { bundleWorkflows } from '../src/runtime/temporal/worker';
import { decideUpdate } from '../src/workflows/definitions';
import { postJson, startTestService } from '../test/helpers/service';
import { startTestServer } from '../test/helpers/temporal';

const ROOT = path.resolve(import.meta.dirname, '..');
const PACK = path.join(ROOT, 'test/fixtures/packs/replay');
const OUT = path.join(ROOT, 'test/fixtures/histories');

interface PathSpec {
  name: string;
  text: string;
  decide?: { decision: 'approve' | 'reject'; reply?: string };
}

const PATHS: PathSpec[] = [
  { name: 'ignore', text: 'Sprint is slow today' },
  { name: 'interim-reply', text: '@sprintcare hello there' },
  { name: 'escalate-approved', text: '@sprintcare my bill is wrong', decide: { decision: 'approve' } },
  { name: 'escalate-rejected', text: '@sprintcare my bill again', decide: { decision: 'reject' } },
  // No decision: reminder, timeout chain, follow-up and a resolution breach.
  { name: 'escalate-timed-out-follow-up-breach', text: '@sprintcare bill bill bill' },
];

async function main(): Promise<void> {
  const [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
  const svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: PACK, idleCloseSeconds: 1 });
  try {
    fs.mkdirSync(OUT, { recursive: true });
    const results = await Promise.allSettled(
      PATHS.map(async (p, i) => {
        const id = `rec-${i}`;
        const res = await postJson(`${svc.url}/v1/posts`, {
          channel: 'twitter',
          id,
          author: { id: `a${i}`, handle: 'jane', name: 'Jane' },
          text: p.text,
          createdAt: new Date().toISOString(),
        });
        if (res.status !== 202) throw new Error(`capture failed: ${JSON.stringify(res.body)}`);
        const handle = svc.client.workflow.getHandle(res.body.interactionId);
        if (p.decide) {
          // Wait until the escalation is open, then decide.
          for (;;) {
            try {
              await handle.executeUpdate(decideUpdate, { args: [{ ...p.decide, decider: { name: 'recorder', role: 'lead' } }] });
              break;
            } catch {
              await new Promise((r) => setTimeout(r, 200));
            }
          }
        }
        await handle.result();
        // The CLI writes the canonical JSON form that historyFromJSON reads.
        const json = execFileSync(
          requireTemporalCli(readSettings(BINARY_SETTINGS)),
          ['workflow', 'show', '--address', server.address, '--workflow-id', res.body.interactionId, '--output', 'json'],
          { encoding: 'utf8' },
        );
        const file = path.join(OUT, `${p.name}.json`);
        fs.writeFileSync(file, json);
        console.log(`recorded ${path.relative(ROOT, file)} (${(JSON.parse(json) as { events: unknown[] }).events.length} events)`);
      }),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length)
      throw new AggregateError(
        failed.map((f) => f.reason as Error),
        `${failed.length} paths failed`,
      );
  } finally {
    await svc.stop();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
