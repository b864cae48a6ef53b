// A tokens file (or a pack) on a folder shared by several hosts: the operating
// system's change events report this host's writes only, so another host's
// revocation would never arrive. These tests switch events off (what such a
// folder amounts to) and show that polling alone picks the change up within
// its interval, and that without polling nothing would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenStore } from '../../src/api/auth';
import { signatureOf, watchPath, type PathWatch } from '../../src/runtime/watch-path';
import { TEST_VIEWER, writeTokensFile, type TestUser } from '../helpers/tokens';

const closers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const c of closers.splice(0)) c.close();
});
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-shared-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const carla: TestUser = { name: 'carla', token: 'tok-carla-0123456789abcdef', teams: { billing: 'agent' } };

describe('reload by polling (shared storage)', () => {
  it('a revoked token is refused within the poll interval though no change event arrives', async () => {
    const dir = tmp();
    const file = writeTokensFile(dir, [carla]);
    const store = await TokenStore.load(file);
    const reloads: boolean[] = [];
    store.watch((e) => reloads.push(e.ok), { pollMs: 250, events: false });
    closers.push(store);
    expect(store.authenticate(`Bearer ${carla.token}`)?.name).toBe('carla');
    // "Another host" rewrites the file without carla (atomically, as `hearken token revoke` does).
    const revoked = path.join(dir, 'tokens.next.yaml');
    fs.copyFileSync(writeTokensFile(tmp(), []), revoked);
    fs.renameSync(revoked, file);
    const at = Date.now();
    await vi.waitFor(() => expect(store.authenticate(`Bearer ${carla.token}`)).toBeNull(), { timeout: 3_000, interval: 25 });
    // Poll interval + debounce (200 ms) + the read, with room for a busy machine.
    expect(Date.now() - at).toBeLessThan(2_500);
    expect(store.authenticate(`Bearer ${TEST_VIEWER.token}`)?.name).toBe(TEST_VIEWER.name);
    expect(reloads).toContain(true);
  });

  it('without polling and without events, the same revocation is never seen', async () => {
    const dir = tmp();
    const file = writeTokensFile(dir, [carla]);
    const store = await TokenStore.load(file);
    store.watch(undefined, { events: false });
    closers.push(store);
    fs.copyFileSync(writeTokensFile(tmp(), []), file);
    await sleep(1_000);
    expect(store.authenticate(`Bearer ${carla.token}`)?.name).toBe('carla');
  });

  it('an edit in place (same inode, same size) counts once its time changes; an untouched folder never calls', async () => {
    const dir = tmp();
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'x: 1\n');
    const onChange = vi.fn();
    const watch: PathWatch = watchPath(dir, onChange, { pollMs: 100, events: false, debounceMs: 20 });
    closers.push(watch);
    await sleep(400);
    expect(onChange).not.toHaveBeenCalled();
    const before = signatureOf(dir);
    fs.writeFileSync(file, 'x: 2\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(signatureOf(dir)).not.toBe(before);
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(1), { timeout: 2_000 });
  });

  it('a missing file has a signature too, so its creation is a change', () => {
    const file = path.join(tmp(), 'nope.yaml');
    const missing = signatureOf(file);
    fs.writeFileSync(file, 'users: []\n');
    expect(signatureOf(file)).not.toBe(missing);
  });
});
