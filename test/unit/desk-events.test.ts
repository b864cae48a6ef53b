// The care desk's live events, diffed from polls of Temporal: here against a
// stand-in for the client, to drive what a real server makes hard to time:
// an outage in the middle (the stream reports it and carries on), a
// reassignment (decided for one team, opened for the other), a timeout,
// presence that lapses. The real thing runs in test/integration/desk-api.test.ts.
import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { DeskEvents } from '../../src/api/desk/events';
import { createLogger } from '../../src/runtime/logger';
import type { User } from '../../src/api/auth';

interface Pending {
  id: string;
  team: string;
  openedAt: string;
}

function fakeClient() {
  const world = {
    down: false,
    pending: [] as Pending[],
    pauses: { version: 0, pauses: [] as unknown[] },
    timelines: new Map<string, Array<Record<string, unknown>>>(),
  };
  const client = {
    withDeadline: (_d: number, fn: () => Promise<unknown>) => fn(),
    workflow: {
      list: () =>
        (async function* () {
          if (world.down) throw Object.assign(new Error('unavailable'), { code: 14 });
          for (const p of world.pending)
            yield {
              workflowId: p.id,
              memo: {
                escalation: {
                  team: p.team,
                  level: 1,
                  openedAt: p.openedAt,
                  deadline: '2099-01-01T00:00:00.000Z',
                  post: { id: '1', channel: 'twitter', author: { handle: 'jane' }, text: 'my bill', createdAt: p.openedAt },
                  triage: null,
                  policy: { id: 'billing', version: 'v' },
                  draftReply: null,
                },
              },
            };
        })(),
      getHandle: (id: string) => ({
        describe: async () => {
          if (world.down) throw Object.assign(new Error('unavailable'), { code: 14 });
          return { memo: { pauses: world.pauses } };
        },
        query: async () => world.timelines.get(id) ?? [],
      }),
    },
  };
  return { world, client: client as unknown as Client };
}

const listener = (user: User) => {
  const got: Array<{ event: string; data: any }> = [];
  return { got, sub: { user, send: (event: string, data: unknown) => got.push({ event, data }), end: () => undefined } };
};

describe('care desk events', () => {
  it('diffs polls into opened and decided per team, says when Temporal is away and when it is back, and reports the pause switch', async () => {
    const { world, client } = fakeClient();
    const hub = new DeskEvents({ client, logger: createLogger('silent'), pollMs: 60_000 });
    const care = listener({ name: 'carla', teams: { care: 'agent' } });
    const billing = listener({ name: 'bill', teams: { billing: 'agent' } });
    const offCare = hub.subscribe(care.sub);
    const offBilling = hub.subscribe(billing.sub);
    await hub.poll(); // the baseline: nothing to say
    expect(care.got).toEqual([]);

    world.pending = [{ id: 'twitter:1', team: 'care', openedAt: '2026-12-01T10:00:00.000Z' }];
    await hub.poll();
    expect(care.got).toEqual([
      {
        event: 'escalation.opened',
        data: expect.objectContaining({ interactionId: 'twitter:1', team: 'care', policyId: 'billing', summary: '@jane: my bill' }),
      },
    ]);
    expect(billing.got).toEqual([]);

    world.down = true;
    await hub.poll();
    await hub.poll();
    expect(care.got.filter((e) => e.event === 'status')).toEqual([
      { event: 'status', data: { temporal: 'unavailable', retryInMs: 60_000 } },
    ]);

    // Meanwhile lena reassigned it to billing, and the switch was flipped.
    world.down = false;
    world.pending = [{ id: 'twitter:1', team: 'billing', openedAt: '2026-12-01T10:05:00.000Z' }];
    world.timelines.set('twitter:1', [
      { at: '2026-12-01T10:00:00.000Z', type: 'escalation.opened', team: 'care' },
      { at: '2026-12-01T10:04:59.000Z', type: 'escalation.decided', team: 'care', decision: 'reassign', actor: 'lena', role: 'lead' },
      { at: '2026-12-01T10:05:00.000Z', type: 'escalation.opened', team: 'billing' },
    ]);
    world.pauses = { version: 1, pauses: [{ key: 'global' }] };
    care.got.length = 0;
    await hub.poll();
    const decided = {
      event: 'escalation.decided',
      data: {
        interactionId: 'twitter:1',
        team: 'care',
        decision: 'reassign',
        by: 'lena',
        role: 'lead',
        at: '2026-12-01T10:04:59.000Z',
        toTeam: 'billing',
      },
    };
    expect(care.got).toEqual([
      { event: 'status', data: { temporal: 'ok' } },
      { event: 'controls', data: { paused: true, pauses: [{ key: 'global' }], version: 1 } },
      decided,
    ]);
    expect(billing.got.slice(-2)).toEqual([decided, { event: 'escalation.opened', data: expect.objectContaining({ team: 'billing' }) }]);

    // Nobody decided in time: it leaves the queue as timed-out.
    world.pending = [];
    world.timelines.get('twitter:1')!.push({ at: '2026-12-01T10:10:00.000Z', type: 'escalation.timed-out', team: 'billing' });
    await hub.poll();
    expect(billing.got.at(-1)).toEqual({
      event: 'escalation.decided',
      data: { interactionId: 'twitter:1', team: 'billing', decision: 'timed-out', by: null, role: null, at: '2026-12-01T10:10:00.000Z' },
    });
    offCare();
    offBilling();
    hub.close();
  });

  it('presence: set, refreshed quietly, lapsed after the TTL, removed on leave', () => {
    const { client } = fakeClient();
    const hub = new DeskEvents({ client, logger: createLogger('silent'), presenceTtlMs: 30_000 });
    const l = listener({ name: 'lena', teams: { care: 'lead' } });
    hub.subscribe(l.sub);
    const carla = { name: 'carla', teams: { care: 'agent' as const } };
    hub.setPresence('twitter:1', carla, 'viewing', 1_000);
    hub.setPresence('twitter:1', carla, 'viewing', 11_000); // a refresh: no news
    hub.setPresence('twitter:1', carla, 'typing', 12_000);
    expect(l.got.map((e) => e.data.viewers)).toEqual([[{ name: 'carla', state: 'viewing' }], [{ name: 'carla', state: 'typing' }]]);
    expect(hub.viewers('twitter:1', 41_000)).toEqual([{ name: 'carla', state: 'typing' }]);
    expect(hub.viewers('twitter:1', 42_001)).toEqual([]);
    hub.setPresence('twitter:1', carla, 'left', 13_000);
    expect(l.got.at(-1)!.data).toEqual({ interactionId: 'twitter:1', viewers: [] });
    hub.close();
  });
});
