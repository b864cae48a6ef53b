// Records the event history of every policy path from real runs on a real
// dev server into test/fixtures/histories/, for the replay guard in npm test.
// Run after an intentional workflow change (with patched() where needed):
//   npx tsx scripts/record-histories.ts                       every path
//   npx tsx scripts/record-histories.ts --only a,b            only these paths
// A recording made before a patch proves that interactions from before it
// still replay: keep it, and record the new behaviour under a new name
// with --only.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readSettings } from '../src/runtime/config';
import { BINARY_SETTINGS, requireTemporalCli } from '../src/runtime/temporal/binaries';
import { bundleWorkflows } from '../src/runtime/temporal/worker';
import { pausePublishing, resumePublishing } from '../src/client/controls';
import type { Actor } from '../src/shared/controls';
import { CONTROLS_WORKFLOW_ID } from '../src/shared/controls';
import { decideHeldUpdate } from '../src/workflows/controls-messages';
import { addNoteUpdate, agentReplyUpdate, decideUpdate, stateQuery } from '../src/workflows/definitions';
import { postJson, startTestService } from '../test/helpers/service';
import { startTestServer } from '../test/helpers/temporal';

const ROOT = path.resolve(import.meta.dirname, '..');
const PACK = path.join(ROOT, 'test/fixtures/packs/replay');
const OUT = path.join(ROOT, 'test/fixtures/histories');

interface PathSpec {
  name: string;
  text: string;
  decide?: { decision: 'approve' | 'reject'; reply?: string };
  /** Later posts in the thread, in order; without an author, the customer's. */
  thread?: Array<{ text: string; author?: { id: string; handle: string } }>;
  /** Default twitter. Each pause path has a channel of its own: paths run at once. */
  channel?: string;
  /** The channel is paused before the post; then the held reply is released by a resume, or discarded by a lead. */
  pause?: 'resume-release' | 'decision-discard';
  /** An agent's own reply (agentReply) and an internal note (addNote) once the post is in. */
  agent?: boolean;
  /** The first post is captured again after the thread: it must answer `duplicate: true`. */
  recapture?: boolean;
}

const RECORDER: Actor = { name: 'recorder', role: 'lead', via: 'cli' };

const PATHS: PathSpec[] = [
  { name: 'ignore', text: 'Sprint is slow today' },
  { name: 'interim-reply', text: '@sprintcare hello there' },
  { name: 'escalate-approved', text: '@sprintcare my bill is wrong', decide: { decision: 'approve' } },
  { name: 'escalate-rejected', text: '@sprintcare my bill again', decide: { decision: 'reject' } },
  // No decision: reminder, timeout chain, follow-up and a resolution breach.
  { name: 'escalate-timed-out-follow-up-breach', text: '@sprintcare bill bill bill' },
  // Issue 11 (recorded after patches notify-beside-steps, escalation-unanswered, thread-post-authors):
  // notifications beside the steps, levels up the chain, `unanswered`, the follow-up text withheld.
  { name: 'escalate-unanswered', text: '@sprintcare bill bill bill, anyone?' },
  {
    name: 'escalate-approved-agent-text',
    text: '@sprintcare my bill is odd',
    decide: { decision: 'approve', reply: 'Use {{promo}}, {{ as written' },
  },
  {
    name: 'thread-brand-and-third-party',
    text: '@sprintcare my router is down',
    thread: [
      { text: '@jane we are on it', author: { id: 'brand', handle: 'sprintcare' } },
      { text: '@sprintcare mine too', author: { id: 'bob', handle: 'bob' } },
      { text: '@sprintcare still down' },
      { text: '@jane a technician is coming', author: { id: 'brand', handle: 'sprintcare' } },
    ],
  },
  { name: 'commitment-warn-at', text: '@sprintcare warnme please' },
  // Recorded after the patch pause-switch (the controls workflow is recorded beside them, as controls.json).
  { name: 'pause-held-released', channel: 'mastodon', text: '@sprintcare@social.example hello, anyone?', pause: 'resume-release' },
  { name: 'pause-held-discarded', channel: 'bluesky', text: '@sprintcare hello, anyone?', pause: 'decision-discard' },
  // Issue 14 (care desk): a person answers verbatim and leaves a note; no patch (new Updates only).
  { name: 'agent-reply-and-note', text: '@sprintcare hello, can a person help?', agent: true },
  // Issue 15 (recorded after patches assess-post-local and coalesce-upserts): the first post comes with the
  // start (capture's fast path), assessPost runs as a local activity, upserts are merged per workflow task.
  { name: 'start-capture-escalate-approved', text: '@sprintcare my bill is wrong, again', decide: { decision: 'approve' } },
  {
    name: 'start-capture-thread-duplicate',
    text: '@sprintcare my phone is broken',
    thread: [{ text: '@jane sorry, on it', author: { id: 'brand', handle: 'sprintcare' } }, { text: '@sprintcare still broken' }],
    recapture: true,
  },
];

function selected(): PathSpec[] {
  const at = process.argv.indexOf('--only');
  if (at < 0) return PATHS;
  const names = new Set((process.argv[at + 1] ?? '').split(',').filter(Boolean));
  const unknown = [...names].filter((n) => !PATHS.some((p) => p.name === n));
  if (names.size === 0 || unknown.length) throw new Error(`--only takes path names from: ${PATHS.map((p) => p.name).join(', ')}`);
  return PATHS.filter((p) => names.has(p.name));
}

async function main(): Promise<void> {
  const [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
  // The CLI writes the canonical JSON form that historyFromJSON reads.
  const show = (workflowId: string): string =>
    execFileSync(
      requireTemporalCli(readSettings(BINARY_SETTINGS)),
      ['workflow', 'show', '--address', server.address, '--workflow-id', workflowId, '--output', 'json'],
      { encoding: 'utf8' },
    );
  const record = (name: string, json: string): void => {
    const file = path.join(OUT, `${name}.json`);
    fs.writeFileSync(file, json);
    console.log(`recorded ${path.relative(ROOT, file)} (${(JSON.parse(json) as { events: unknown[] }).events.length} events)`);
  };
  const svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: PACK, idleCloseSeconds: 1 });
  try {
    fs.mkdirSync(OUT, { recursive: true });
    const results = await Promise.allSettled(
      selected().map(async (p) => {
        const i = PATHS.indexOf(p);
        const id = `rec-${i}`;
        const customer = { id: `a${i}`, handle: 'jane', name: 'Jane' };
        const channel = p.channel ?? 'twitter';
        if (p.pause) {
          await pausePublishing(svc.client, svc.config.taskQueue, { scope: { kind: 'channel', channel }, actor: RECORDER });
          // Every worker's view of the switch is at most this old (PAUSE_READ_TTL_MS).
          await new Promise((r) => setTimeout(r, 2_500));
        }
        const res = await postJson(`${svc.url}/v1/posts`, {
          channel,
          id,
          author: customer,
          text: p.text,
          createdAt: new Date().toISOString(),
        });
        if (res.status !== 202) throw new Error(`capture failed: ${JSON.stringify(res.body)}`);
        for (const [k, later] of (p.thread ?? []).entries()) {
          const more = await postJson(`${svc.url}/v1/posts`, {
            channel: 'twitter',
            id: `${id}-${k + 1}`,
            threadId: id,
            inReplyTo: id,
            author: later.author ?? customer,
            text: later.text,
            createdAt: new Date().toISOString(),
          });
          if (more.status !== 202) throw new Error(`capture failed: ${JSON.stringify(more.body)}`);
        }
        if (p.recapture) {
          const again = await postJson(`${svc.url}/v1/posts`, {
            channel,
            id,
            author: customer,
            text: p.text,
            createdAt: new Date().toISOString(),
          });
          if (again.status !== 200 || again.body.duplicate !== true)
            throw new Error(`recapture not a duplicate: ${JSON.stringify(again.body)}`);
        }
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
        if (p.agent) {
          const by = { name: 'recorder', role: 'agent' };
          await handle.executeUpdate(agentReplyUpdate, {
            args: [{ text: 'Hi Jane, {{ this is me, a person }}', by, replyId: 'rec-reply-1' }],
            updateId: 'agentReply:rec-reply-1',
          });
          await handle.executeUpdate(addNoteUpdate, { args: [{ text: 'called her back', by }] });
        }
        if (p.pause) {
          for (;;) {
            const state = await handle.query(stateQuery);
            if (state.held?.some((h) => h.status === 'held')) break;
            await new Promise((r) => setTimeout(r, 200));
          }
          if (p.pause === 'decision-discard') {
            await handle.executeUpdate(decideHeldUpdate, { args: [{ decision: 'discard', by: RECORDER, via: 'decision', note: 'stale' }] });
          }
          await resumePublishing(svc.client, svc.config.taskQueue, {
            scope: { kind: 'channel', channel },
            decision: p.pause === 'resume-release' ? 'release' : 'discard',
            actor: RECORDER,
          });
        }
        await handle.result();
        const json = show(res.body.interactionId);
        record(p.name, json);
      }),
    );
    if (selected().some((p) => p.pause)) {
      // The switch itself: still running (it never ends), its history so far replays all the same.
      record('controls', show(CONTROLS_WORKFLOW_ID));
    }
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
