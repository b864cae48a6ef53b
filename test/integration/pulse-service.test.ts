// The pulse in the running service, over HTTP on a real Temporal dev server:
// captured posts are counted by the capture path and reach the brand's pulse
// workflow (counts and words only), the crisis routes answer and check roles,
// and /metrics shows the crisis state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, tempDir, temporalAvailable } from '../helpers/temporal';
import { bearer, writeTokensFile, type TestUser } from '../helpers/tokens';

const run = temporalAvailable() ? describe : describe.skip;
const LEAD: TestUser = { name: 'lea', token: 'tok-test-lead-0123456789', teams: { '*': 'lead' } };

run('the pulse in the running service', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let svc: TestService;

  beforeAll(async () => {
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    svc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      tokensFile: writeTokensFile(tempDir('pulse-tokens'), [LEAD]),
    });
  }, 120_000);
  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
  });

  it('counts every captured post, addressed or overheard, keeping neither text nor author', async () => {
    const at = new Date().toISOString();
    const author = { id: 'u-pulse', handle: 'janedoe', name: 'Jane Doe' };
    expect(
      (
        await postJson(`${svc.url}/v1/posts`, {
          channel: 'twitter',
          id: 'pu1',
          author,
          text: '@sprintcare my router is broken #outage',
          createdAt: at,
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await postJson(`${svc.url}/v1/posts`, {
          channel: 'twitter',
          id: 'pu2',
          author,
          text: 'Sprint router broken again for everyone',
          createdAt: at,
        })
      ).status,
    ).toBe(202);
    const pulse = await eventually(
      async () => {
        const res = await getJson(`${svc.url}/v1/pulse`);
        const posts = (res.body.minutes as Array<{ posts: number }>).reduce((n, m) => n + m.posts, 0);
        return posts >= 2 ? res.body : null;
      },
      30_000,
      'the pulse to count both posts',
    );
    expect(pulse.brand).toBe('sprint');
    const minute = pulse.minutes.at(-1);
    expect(minute).toMatchObject({ addressed: 1 });
    expect(minute.topTerms).toEqual(expect.arrayContaining(['router', 'broken']));
    expect(minute.topHashtags).toEqual(['outage']);
    const text = JSON.stringify(pulse);
    for (const secret of ['janedoe', 'Jane Doe', 'u-pulse', 'pu1', 'my router is broken']) expect(text).not.toContain(secret);
  }, 60_000);

  it('lists crises, lets only leads act on them, and shows the crisis state on /metrics', async () => {
    expect((await getJson(`${svc.url}/v1/crises`)).body).toEqual({ brand: 'sprint', crises: [] });
    expect((await getJson(`${svc.url}/v1/crises?status=burning`)).status).toBe(422);
    const asViewer = await postJson(`${svc.url}/v1/crises/sprint-c1/acknowledge`, {});
    expect(asViewer.status).toBe(403);
    const unknown = await postJson(`${svc.url}/v1/crises/sprint-c9/close`, { note: 'x' }, bearer(LEAD));
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('no crisis sprint-c9');
    const metrics = await fetch(`${svc.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('hearken_crises_open{brand="sprint",status="open"} 0');
  }, 60_000);
});
