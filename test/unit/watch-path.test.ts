import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchPath, type PathWatch } from '../../src/runtime/watch-path';

// The helper under PackStore and TokenStore; their tests cover the editor's
// rename and the recreated folder, these the helper's own promises.
let base: string;
let watching: PathWatch | undefined;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-watch-'));
});

afterEach(() => {
  watching?.close();
  watching = undefined;
  fs.rmSync(base, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchPath', () => {
  it('turns a burst of writes into one call, and ignores the neighbours of a file', async () => {
    const file = path.join(base, 'tokens.yaml');
    fs.writeFileSync(file, 'a');
    const onChange = vi.fn();
    watching = watchPath(file, onChange, { debounceMs: 100 });
    fs.writeFileSync(path.join(base, 'outbox.jsonl'), 'not ours');
    await sleep(300);
    expect(onChange).not.toHaveBeenCalled();
    for (let i = 0; i < 5; i++) fs.writeFileSync(file, `edit ${i}`);
    await vi.waitFor(() => expect(onChange).toHaveBeenCalled(), { timeout: 5_000 });
    await sleep(300);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('keeps trying while the parent folder is missing, and calls once it is back', async () => {
    const folder = path.join(base, 'data');
    fs.mkdirSync(folder);
    const onChange = vi.fn();
    watching = watchPath(path.join(folder, 'tokens.yaml'), onChange, { debounceMs: 20, retryMs: 50 });
    fs.rmSync(folder, { recursive: true });
    await vi.waitFor(() => expect(onChange).toHaveBeenCalled(), { timeout: 5_000 });
    onChange.mockClear();
    await sleep(200);
    fs.mkdirSync(folder);
    await vi.waitFor(() => expect(onChange).toHaveBeenCalled(), { timeout: 5_000 });
    onChange.mockClear();
    fs.writeFileSync(path.join(folder, 'tokens.yaml'), 'new');
    await vi.waitFor(() => expect(onChange).toHaveBeenCalled(), { timeout: 5_000 });
  });

  it('calls at once on its signal, and close() stops every call and the signal listener', async () => {
    const listeners = process.listenerCount('SIGHUP');
    const onChange = vi.fn();
    watching = watchPath(base, onChange, { debounceMs: 20, signal: 'SIGHUP' });
    expect(process.listenerCount('SIGHUP')).toBe(listeners + 1);
    process.emit('SIGHUP', 'SIGHUP');
    expect(onChange).toHaveBeenCalledTimes(1);
    watching.close();
    expect(process.listenerCount('SIGHUP')).toBe(listeners);
    fs.writeFileSync(path.join(base, 'a.yaml'), 'x');
    await sleep(200);
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});
