// A crisis from start to end on the time-skipping test server: the pulse
// learns a baseline over six quiet hours, a burst of negative posts about the
// app login raises an alarm that opens a crisis and tells the crisis team, a
// customer's post about the topic is handled by the crisis overlay (holding
// statement, escalation to the crisis team, the crisis id and overlay version
// recorded), a lead acknowledges and closes it, and the overlay is gone.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { createActivities } from '../../src/activities';
import { Notifier } from '../../src/channels/notifier';
import { OutboxChannel } from '../../src/channels/outbox';
import { crisisAction, CrisisReader, readActiveCrisis, readPulse, sendPulseBatch } from '../../src/client/crises';
import { PackStore } from '../../src/policy/pack/pack-store';
import { brandKey } from '../../src/pulse/brand';
import { minuteOf, pulseWorkflowId, type MinuteCounts } from '../../src/shared/pulse';
import { SA, SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { indexedValueTypes } from '../../src/runtime/temporal/search-attribute-registration';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { addPostUpdate, stateQuery, timelineQuery, type InteractionState } from '../../src/workflows/definitions';
import { jsonLines } from '../helpers/files';
import { DEFAULT_PACK } from '../helpers/pack-fixture';
import { findTestServer, tempDir } from '../helpers/temporal';

const testServer = findTestServer();
if (!testServer && process.env.CI) throw new Error('CI: no time-skipping test server found (npm install provisions it)');
const run = testServer ? describe : describe.skip;
const TQ = 'crisis';

run('a crisis on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let packs: PackStore;
  const dataDir = tempDir('crisis');

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer! } } });
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: indexedValueTypes(SEARCH_ATTRIBUTES),
    });
    packs = await PackStore.open(path.resolve(DEFAULT_PACK));
  }, 60_000);
  afterAll(async () => {
    await packs?.close();
    await env?.teardown();
  });

  const counts = (m: number, n: number, neg: number, negTerms: Record<string, number> = {}): MinuteCounts => ({
    m,
    n,
    neg,
    addressed: Math.ceil(n / 3),
    intents: { complaint: neg, other: n - neg },
    terms: { ...negTerms, sprint: n },
    negTerms,
    hashtags: {},
  });

  async function handled(
    interactionId: string,
    text: string,
  ): Promise<{ state: InteractionState; timeline: Array<Record<string, unknown>> }> {
    const handle = await env.client.workflow.start('interaction', {
      workflowId: interactionId,
      taskQueue: TQ,
      args: [{ interactionId, idleCloseMs: 86_400_000 }],
      typedSearchAttributes: [{ key: SA.status, value: 'triaging' }],
    });
    const id = interactionId.split(':')[1]!;
    const createdAt = new Date(await env.currentTimeMs()).toISOString();
    await handle.executeUpdate(addPostUpdate, {
      args: [{ channel: 'twitter', id, author: { id: `a-${id}`, handle: `cust${id}` }, text, createdAt }],
    });
    for (let i = 0; i < 200; i++) {
      const state = await handle.query(stateQuery);
      if (state.policy && state.steps.length > 0) return { state, timeline: await handle.query(timelineQuery) };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${interactionId} was not assessed`);
  }

  it('baseline → burst → alarm and notification → overlay handling → acknowledged → closed, overlay gone', async () => {
    const pack = packs.current();
    const brand = brandKey(pack);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TQ,
      workflowBundle: await bundleWorkflows(),
      activities: createActivities({
        packs,
        channel: new OutboxChannel(dataDir),
        notifier: new Notifier(dataDir),
        crises: new CrisisReader(env.client, 0),
      }),
    });
    await worker.runUntil(async () => {
      // Six quiet hours: 3 posts a minute, about one in five negative; a batch every ten minutes.
      for (let i = 0; i < 36; i++) {
        const now = minuteOf(await env.currentTimeMs());
        const minutes = Array.from({ length: 10 }, (_, k) => counts(now + k, 3, (now + k) % 5 === 0 ? 1 : 0));
        await sendPulseBatch(env.client, TQ, brand, { minutes, ...(i === 0 ? { settings: pack.pulse! } : {}) });
        await env.sleep('10 minutes');
      }
      const quiet = (await readPulse(env.client, brand))!;
      expect(quiet.baselineSamples).toBeGreaterThanOrEqual(30);
      expect(quiet.crises).toEqual([]);
      expect(await readActiveCrisis(env.client, brand)).toBeNull();

      // The burst: 15 posts a minute, 12 negative, about the app login; one batch a minute.
      const burstStart = minuteOf(await env.currentTimeMs());
      let crisis = null;
      for (let i = 0; i < 20 && !crisis; i++) {
        const m = minuteOf(await env.currentTimeMs());
        await sendPulseBatch(env.client, TQ, brand, { minutes: [counts(m, 15, 12, { login: 11, app: 9, broken: 6 })] });
        await env.sleep('1 minute');
        crisis = await readActiveCrisis(env.client, brand);
      }
      expect(crisis).toMatchObject({ id: `${brand}-c1`, status: 'open' });
      expect(crisis!.topic.slice(0, 2)).toEqual(['login', 'app']);
      const opened = (await readPulse(env.client, brand))!.crises[0]!;
      // Why it fired: every condition of pulse.yaml held, against the learned baseline.
      expect(opened.alarm).toMatchObject({
        alarming: true,
        checks: { minVolume: true, volumeZ: true, negativeShareZ: true, negativeShareAtLeast: true },
      });
      expect(opened.alarm.m - burstStart).toBeLessThanOrEqual(pack.pulse!.windowMinutes);
      // The crisis team was told, once.
      await expect.poll(() => jsonLines(dataDir, 'notifications.jsonl').filter((n) => n.kind === 'crisis.opened')).toHaveLength(1);
      expect(jsonLines(dataDir, 'notifications.jsonl').find((n) => n.kind === 'crisis.opened')).toMatchObject({
        team: 'crisis-team',
        interactionId: pulseWorkflowId(brand),
      });

      // A customer asks about the topic: the overlay outranks the complaint policy.
      const under = await handled('twitter:c1', '@sprintcare your app login is broken, this is ridiculous');
      expect(under.state.policy?.id).toBe('crisis-addressed');
      const selected = under.timeline.find((e) => e.type === 'policy.selected')!;
      expect(selected.overlay).toEqual({ kind: 'crisis', crisisId: crisis!.id, version: pack.crisisOverlay!.version });
      const described = await env.client.workflow.getHandle('twitter:c1').describe();
      expect(described.memo?.overlay).toEqual(selected.overlay);
      // A post about something else keeps its normal policy.
      expect((await handled('twitter:c2', '@sprintcare my invoice is wrong, you charged me twice')).state.policy?.id).toBe(
        'customer-complaint',
      );

      // Only leads and admins acknowledge; a lead names the topic.
      const viewer = crisisAction(env.client, brand, 'acknowledge', { crisisId: crisis!.id, actor: { name: 'vic', role: 'viewer' } });
      await expect(viewer).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const acked = await crisisAction(env.client, brand, 'acknowledge', {
        crisisId: crisis!.id,
        actor: { name: 'lea', role: 'lead' },
        note: 'statement drafted',
        topic: ['login'],
      });
      expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: { name: 'lea' }, topic: ['login'] });
      expect((await handled('twitter:c3', '@sprintcare login fails on every try, terrible')).state.policy?.id).toBe('crisis-addressed');

      await env.sleep('30 minutes');
      const closed = await crisisAction(env.client, brand, 'close', {
        crisisId: crisis!.id,
        actor: { name: 'lea', role: 'lead' },
        note: 'fixed',
      });
      expect(closed.status).toBe('closed');
      expect(Date.parse(closed.closedAt!) - Date.parse(closed.openedAt)).toBeGreaterThanOrEqual(30 * 60_000);
      expect(await readActiveCrisis(env.client, brand)).toBeNull();
      // The overlay is off again: the same kind of post gets the complaint policy.
      expect((await handled('twitter:c4', '@sprintcare your app login is broken again, terrible')).state.policy?.id).toBe(
        'customer-complaint',
      );
      await expect(
        crisisAction(env.client, brand, 'close', { crisisId: crisis!.id, actor: { name: 'lea', role: 'lead' } }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const final = (await readPulse(env.client, brand))!.crises[0]!;
      expect(final.series.length).toBeGreaterThan(30);
      expect(final.notes.map((n) => n.note)).toEqual(['statement drafted', 'fixed']);
    });

    // What ran replays against the same code: the pulse, and an interaction handled under the overlay.
    const workflowBundle = await bundleWorkflows();
    for (const [workflowId, fixture] of [
      [pulseWorkflowId(brand), 'pulse'],
      ['twitter:c1', 'crisis-overlay'],
    ] as const) {
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      await Worker.runReplayHistory({ workflowBundle, replayName: 'crisis-replay' }, history, workflowId);
      // Recording the replay guard's fixtures (test/unit/replay.test.ts): HEARKEN_RECORD_HISTORIES=1.
      if (process.env.HEARKEN_RECORD_HISTORIES) {
        fs.writeFileSync(path.resolve(import.meta.dirname, `../fixtures/histories/${fixture}.json`), historyToJSON(history));
      }
    }
  }, 240_000);
});
