// Which pack versions the live workers run, joined from the worker registry's
// reports and the task queue's pollers (src/client/worker-registry.ts).
import { describe, expect, it } from 'vitest';
import { joinWorkerPacks } from '../../src/client/worker-registry';

const at = '2026-12-01T18:00:00.000Z';

describe('joinWorkerPacks', () => {
  it('ok when every live worker reported this process’s version', () => {
    const view = joinWorkerPacks(
      [
        { identity: '1@a', packVersion: 'v1', reportedAt: at },
        { identity: '2@b', packVersion: 'v1', reportedAt: at },
      ],
      ['1@a', '2@b'],
      'v1',
    );
    expect(view).toEqual({
      status: 'ok',
      versions: [{ version: 'v1', workers: ['1@a', '2@b'], thisProcess: true }],
      workers: [
        { identity: '1@a', version: 'v1', reportedAt: at },
        { identity: '2@b', version: 'v1', reportedAt: at },
      ],
    });
  });

  it('mismatch when two live workers run different versions, naming each', () => {
    const view = joinWorkerPacks(
      [
        { identity: '1@a', packVersion: 'v1', reportedAt: at },
        { identity: '2@b', packVersion: 'v2', reportedAt: at },
      ],
      ['1@a', '2@b'],
      'v1',
    );
    expect(view.status).toBe('mismatch');
    expect(view.versions).toEqual([
      { version: 'v1', workers: ['1@a'], thisProcess: true },
      { version: 'v2', workers: ['2@b'], thisProcess: false },
    ]);
    expect(view.detail).toBe('2 policy pack versions in use: v1 (1 worker(s), this process), v2 (1 worker(s))');
  });

  it('mismatch when the workers agree but this API process loaded another pack', () => {
    const view = joinWorkerPacks([{ identity: '1@a', packVersion: 'v2', reportedAt: at }], ['1@a'], 'v1');
    expect(view.status).toBe('mismatch');
  });

  it('a stopped worker’s old report does not count: only live pollers do', () => {
    const view = joinWorkerPacks(
      [
        { identity: '1@a', packVersion: 'v1', reportedAt: at },
        { identity: 'gone@c', packVersion: 'v0', reportedAt: at },
      ],
      ['1@a'],
      'v1',
    );
    expect(view.status).toBe('ok');
    expect(view.workers.map((w) => w.identity)).toEqual(['1@a']);
  });

  it('unknown while a live worker has not reported, or no worker is live', () => {
    expect(joinWorkerPacks([], ['1@a'], 'v1')).toMatchObject({
      status: 'unknown',
      workers: [{ identity: '1@a', version: null, reportedAt: null }],
      detail: '1 live worker(s) have not reported their pack version yet',
    });
    expect(joinWorkerPacks([], [], 'v1')).toMatchObject({ status: 'unknown', detail: 'no live worker' });
  });
});
