// Replay guard: recorded histories of every policy path (made from real runs
// by scripts/record-histories.ts) must replay against the current workflow
// code. A change that would break running interactions fails here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows, WORKFLOWS_PATH } from '../../src/runtime/temporal/worker';

const DIR = path.resolve(import.meta.dirname, '../fixtures/histories');
const FILES = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

function histories() {
  return FILES.map((f) => ({
    workflowId: f.replace(/\.json$/u, ''),
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'))),
  }));
}

async function replayAll(workflowBundle: WorkflowBundleWithSourceMap): Promise<Array<{ workflowId: string; error?: unknown }>> {
  const results = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle, replayName: 'hearken-replay-guard' }, histories())) {
    results.push({ workflowId: r.workflowId, error: r.error });
  }
  return results;
}

describe('replay guard', () => {
  it('has a recorded history for every policy path', () => {
    // Recorded before issue 11's patches: interactions from then must keep replaying.
    const beforePatches = [
      'escalate-approved.json',
      'escalate-rejected.json',
      'escalate-timed-out-follow-up-breach.json',
      'ignore.json',
      'interim-reply.json',
    ];
    // Recorded after them (notify-beside-steps, escalation-unanswered, thread-post-authors).
    const afterPatches = [
      'commitment-warn-at.json',
      'escalate-approved-agent-text.json',
      'escalate-unanswered.json',
      'thread-brand-and-third-party.json',
    ];
    // Recorded after pause-switch: a held reply released by a resume, one discarded by a lead, and the controls workflow.
    const afterPauseSwitch = ['controls.json', 'pause-held-discarded.json', 'pause-held-released.json'];
    // Recorded with the care desk's Updates (agentReply, addNote; issue 14).
    const careDesk = ['agent-reply-and-note.json'];
    // Recorded after assess-post-local and coalesce-upserts, the first post captured with the start (issue 15).
    const afterCoalesce = ['start-capture-escalate-approved.json', 'start-capture-thread-duplicate.json'];
    // Recorded by test/integration/crisis.test.ts (HEARKEN_RECORD_HISTORIES=1): the pulse through a crisis, and an interaction under its overlay (crisis-overlay-memo).
    const afterPulse = ['crisis-overlay.json', 'pulse.json'];
    expect(FILES).toEqual([...beforePatches, ...afterPatches, ...afterPauseSwitch, ...careDesk, ...afterCoalesce, ...afterPulse].sort());
  });

  it('every recorded interaction replays against the current workflow code', async () => {
    const results = await replayAll(await bundleWorkflows());
    expect(results).toHaveLength(FILES.length);
    for (const r of results) expect(r.error, `${r.workflowId}: ${String(r.error)}`).toBeUndefined();
  }, 60_000);

  it('histories recorded with merged upserts do not replay without the interceptor that merges them', async () => {
    const bundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const merged = ['start-capture-escalate-approved', 'start-capture-thread-duplicate'];
    const results = (await replayAll(bundle)).filter((r) => merged.includes(r.workflowId));
    expect(results).toHaveLength(merged.length);
    for (const r of results) expect((r.error as Error | undefined)?.name, r.workflowId).toMatch(/DeterminismViolationError/);
  }, 60_000);

  it('a deliberately non-deterministic change fails the replay', async () => {
    const bundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../fixtures/nondeterministic-workflows/index.ts', import.meta.url)),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const results = await replayAll(bundle);
    expect(results).toHaveLength(FILES.length);
    for (const r of results) {
      expect(r.error, r.workflowId).toBeDefined();
      expect((r.error as Error).name).toMatch(/DeterminismViolationError/);
    }
  }, 60_000);
});
