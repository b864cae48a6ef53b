// Hour- and day-long timers on the time-skipping test server: an escalation
// that times out after an hour of business time, its chain, a two-day
// follow-up step and a business-hours resolution clock, computed exactly.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { Notifier } from '../../src/channels/notifier';
import { OutboxChannel } from '../../src/channels/outbox';
import { addBusinessTime } from '../../src/policy/engine/calendar';
import { PackStore } from '../../src/policy/pack/pack-store';
import { SA, SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { indexedValueTypes } from '../../src/runtime/temporal/search-attribute-registration';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { addPostUpdate, stateQuery, timelineQuery } from '../../src/workflows/definitions';
import { jsonLines } from '../helpers/files';
import { findTestServer, tempDir } from '../helpers/temporal';
import { careMetricsSinks } from '../../src/runtime/care-metrics-sinks';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/long-timers');
const testServer = findTestServer();
if (!testServer && process.env.CI) throw new Error('CI: no time-skipping test server found (npm install provisions it)');
const run = testServer ? describe : describe.skip;

run('long timers on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let packs: PackStore;
  const dataDir = tempDir('long');

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer! } } });
    // The test server knows no custom search attributes until told.
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: indexedValueTypes(SEARCH_ATTRIBUTES),
    });
    packs = await PackStore.open(PACK);
  });
  afterAll(async () => {
    await packs?.close();
    await env?.teardown();
  });

  it('an undecided complaint escalates up the chain after an hour of business time; two days later its follow-up text is withheld: nobody answered', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'long',
      workflowBundle: await bundleWorkflows(),
      activities: createActivities({ packs, channel: new OutboxChannel(dataDir), notifier: new Notifier(dataDir) }),
      sinks: careMetricsSinks(),
    });
    const state = await worker.runUntil(async () => {
      const interactionId = 'twitter:long-1';
      const handle = await env.client.workflow.start('interaction', {
        workflowId: interactionId,
        taskQueue: 'long',
        args: [{ interactionId, idleCloseMs: 3_600_000 }],
        typedSearchAttributes: [{ key: SA.status, value: 'triaging' }],
      });
      const now = new Date(await env.currentTimeMs());
      await handle.executeUpdate(addPostUpdate, {
        args: [
          {
            channel: 'twitter',
            id: 'long-1',
            author: { id: 'c', name: 'Jane' },
            text: '@sprintcare my invoice is wrong',
            createdAt: now.toISOString(),
          },
        ],
      });
      const result = await handle.result(); // time skips through every timer until the interaction closes
      expect(result.status).toBe('unanswered'); // nobody decided along the chain
      return { state: await handle.query(stateQuery), timeline: await handle.query(timelineQuery), createdAt: now };
    });

    const cal = packs.current().calendars['support-hours']!;
    const [first, second] = state.state.escalations;
    expect(first).toMatchObject({ team: 'customer-care', status: 'timed-out' });
    // One hour of open time after the escalation opened, across closed hours, weekends and holidays.
    expect(first!.deadline).toBe(addBusinessTime(cal, new Date(first!.openedAt), 3_600_000).toISOString());
    expect(second).toMatchObject({ team: 'duty-manager', status: 'timed-out' });
    expect(Date.parse(second!.deadline) - Date.parse(second!.openedAt)).toBe(30 * 60_000);
    // The follow-up went out two days (workflow time) after its step started.
    // (publishedAt is the channel's wall clock, which the test server does not skip.)
    const followUpStep = state.state.steps.find((s) => s.kind === 'followUp')!;
    const followUpTimer = state.timeline.find((e) => e.type === 'timer.set' && e.purpose === 'followUp')!;
    expect(Date.parse(followUpTimer.deadline as string) - Date.parse(followUpStep.startedAt)).toBe(2 * 86_400_000);
    // Nobody decided, so its text ("is everything sorted?") was withheld when its time came.
    const withheld = state.timeline.find((e) => e.type === 'followUp.withheld')!;
    expect(Date.parse(withheld.at) - Date.parse(followUpStep.startedAt)).toBeGreaterThanOrEqual(2 * 86_400_000);
    expect(state.timeline.some((e) => e.type === 'reply.published' && e.kind === 'followUp')).toBe(false);
    // Resolution: 8 business hours from the post's createdAt.
    const resolution = state.state.commitments.find((c) => c.name === 'resolution')!;
    expect(resolution.deadline).toBe(addBusinessTime(cal, state.createdAt, 8 * 3_600_000).toISOString());
    expect(state.state.deadlines.resolution).toBe(resolution.deadline);
    const reminders = jsonLines(dataDir, 'notifications.jsonl').filter((n) => n.kind === 'reminder');
    expect(reminders.map((n) => n.team)).toEqual(['customer-care']);
    expect(state.timeline.filter((e) => e.type === 'escalation.timed-out')).toHaveLength(2);
    expect(fs.existsSync(path.join(dataDir, 'outbox.jsonl'))).toBe(true);
  }, 120_000);
});
