import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PackLoadError, PackStore, type ReloadEvent } from '../../src/policy/pack/pack-store';
import { loadPack } from '../../src/policy/pack/load-pack';
import { contentHash, packVersion } from '../../src/policy/pack/pack-version';
import { copyDefaultPack, editPack, removePack } from '../helpers/pack-fixture';

let dir: string;
let store: PackStore | undefined;

beforeEach(() => {
  dir = copyDefaultPack();
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  removePack(dir);
});

describe('PackStore', () => {
  it('refuses to start on a bad pack, listing every error as file:line:col', async () => {
    editPack(dir, 'praise.policy.yaml', 'priority: 30', 'priority: high');
    const failure = await PackStore.open(dir).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(PackLoadError);
    expect((failure as PackLoadError).message).toMatch(/praise\.policy\.yaml:4:11: priority must be a whole number, got "high"/);
  });

  it('keeps the last good pack when an edit breaks it, and reports the error until it is fixed', async () => {
    store = await PackStore.open(dir);
    const good = store.current();
    expect(store.compiled().map((c) => c.id)[0]).toBe('security-incident');
    expect(store.lastError()).toBeNull();

    editPack(dir, 'question.policy.yaml', 'decideWithin: 1h business', 'decideWithin: soon');
    expect((await store.reload()).ok).toBe(false);
    expect(store.current()).toBe(good);
    expect(store.lastError()?.errors[0]?.message).toContain('"soon" is not a duration');
    expect(Date.parse(store.lastError()!.at)).not.toBeNaN();

    editPack(dir, 'question.policy.yaml', 'decideWithin: soon', 'decideWithin: 45m business');
    expect((await store.reload()).ok).toBe(true);
    expect(store.lastError()).toBeNull();
    expect(store.current().version.id).not.toBe(good.version.id);
    expect(store.current().policies.find((p) => p.id === 'question')?.steps[1]).toMatchObject({
      escalate: { decideWithin: '45m business' },
    });
  });

  it('when watching, a saved edit is picked up and reported once', async () => {
    store = await PackStore.open(dir);
    const events: ReloadEvent[] = [];
    const changed = new Promise<void>((resolve) => {
      store!.watch((event) => {
        events.push(event);
        resolve();
      });
    });
    editPack(dir, 'praise.policy.yaml', 'priority: 30', 'priority: 31');
    await changed;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ok: true });
    expect(store.current().policies.find((p) => p.id === 'praise')?.priority).toBe(31);
  });

  it("when watching, an editor's save by rename (a temporary file renamed over the policy) is picked up", async () => {
    store = await PackStore.open(dir);
    const events: ReloadEvent[] = [];
    store.watch((event) => events.push(event));
    const file = path.join(dir, 'praise.policy.yaml');
    writeFileSync(`${file}.tmp-4711`, readFileSync(file, 'utf8').replace('priority: 30', 'priority: 33'));
    renameSync(`${file}.tmp-4711`, file);
    await vi.waitFor(() => expect(store!.current().policies.find((p) => p.id === 'praise')?.priority).toBe(33), { timeout: 5_000 });
    expect(events.every((e) => e.ok)).toBe(true);
  });

  it('when watching, a policies folder deleted and created again is reported missing, then loaded and watched again', async () => {
    store = await PackStore.open(dir);
    const events: ReloadEvent[] = [];
    store.watch((event) => events.push(event));
    rmSync(dir, { recursive: true });
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ ok: false }), { timeout: 5_000 });
    expect(store.current().policies.find((p) => p.id === 'praise')?.priority).toBe(30);

    // The new folder appears at once, as a deploy or a branch switch swaps it in.
    const staging = copyDefaultPack();
    editPack(staging, 'praise.policy.yaml', 'priority: 30', 'priority: 34');
    renameSync(staging, dir);
    await vi.waitFor(() => expect(store!.current().policies.find((p) => p.id === 'praise')?.priority).toBe(34), { timeout: 5_000 });
    expect(store.lastError()).toBeNull();

    // Edits inside the new folder are seen too: the watch moved to it.
    editPack(dir, 'praise.policy.yaml', 'priority: 34', 'priority: 35');
    await vi.waitFor(() => expect(store!.current().policies.find((p) => p.id === 'praise')?.priority).toBe(35), { timeout: 5_000 });
  });

  it('SIGHUP reloads too (an edit made before watching began is only seen through it)', async () => {
    store = await PackStore.open(dir);
    const before = store.current().version.id;
    editPack(dir, 'praise.policy.yaml', 'priority: 30', 'priority: 32');
    const reloaded = new Promise<ReloadEvent>((resolve) => store!.watch(resolve));
    process.emit('SIGHUP', 'SIGHUP');
    const event = await reloaded;
    expect(event.ok).toBe(true);
    expect(store.current().version.id).not.toBe(before);
  });

  it('close() stops listening for SIGHUP', async () => {
    const listeners = process.listenerCount('SIGHUP');
    store = await PackStore.open(dir);
    store.watch();
    expect(process.listenerCount('SIGHUP')).toBe(listeners + 1);
    await store.close();
    expect(process.listenerCount('SIGHUP')).toBe(listeners);
  });
});

describe('pack version', () => {
  it('is stable for the same content and changes when content changes', async () => {
    const a = await loadPack(dir);
    const b = await loadPack(dir);
    if (!a.ok || !b.ok) throw new Error('pack rejected');
    expect(a.pack.version).toEqual(b.pack.version);
    expect(a.pack.version.commit).toBeNull();
    expect(a.pack.version.id).toMatch(/^sha256:[0-9a-f]{12}$/);

    editPack(dir, 'templates.yaml', 'That made our day.', 'You made our day.');
    const c = await loadPack(dir);
    if (!c.ok) throw new Error('pack rejected');
    expect(c.pack.version.sha256).not.toBe(a.pack.version.sha256);
  });

  it('ignores test cases: they do not change what the service does', async () => {
    const a = await loadPack(dir);
    editPack(dir, 'praise.cases.yaml', 'a thank-you is thanked back', 'thanks are returned');
    const b = await loadPack(dir);
    if (!a.ok || !b.ok) throw new Error('pack rejected');
    expect(b.pack.version.id).toBe(a.pack.version.id);
  });

  it('hashes names and bytes unambiguously', () => {
    const bytes = (s: string) => Buffer.from(s);
    expect(contentHash([{ name: 'a', bytes: bytes('bc') }])).not.toBe(contentHash([{ name: 'ab', bytes: bytes('c') }]));
    expect(
      contentHash([
        { name: 'a', bytes: bytes('1') },
        { name: 'b', bytes: bytes('2') },
      ]),
    ).toBe(
      contentHash([
        { name: 'b', bytes: bytes('2') },
        { name: 'a', bytes: bytes('1') },
      ]),
    );
  });

  it("in a git checkout: the folder's commit, and -dirty with uncommitted changes", async () => {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', dir, '-c', 'user.email=test@example.invalid', '-c', 'user.name=test', ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'pack');
    const head = git('rev-parse', 'HEAD').trim();

    const clean = await packVersion(dir, [{ name: 'x', bytes: Buffer.from('x') }]);
    expect(clean.commit).toBe(head);
    expect(clean.id).toBe(`${head.slice(0, 12)}+${clean.sha256.slice(0, 12)}`);

    writeFileSync(path.join(dir, 'praise.policy.yaml'), '# edited\n', { flag: 'a' });
    const dirty = await packVersion(dir, [{ name: 'x', bytes: Buffer.from('x') }]);
    expect(dirty.commit).toBe(`${head}-dirty`);
    expect(dirty.id).toBe(`${head.slice(0, 12)}-dirty+${dirty.sha256.slice(0, 12)}`);
  });
});
