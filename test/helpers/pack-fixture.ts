// A throwaway copy of the default pack, to break one thing at a time.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PACK = fileURLToPath(new URL('../../policies/', import.meta.url));

export function copyDefaultPack(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearken-pack-'));
  cpSync(DEFAULT_PACK, dir, { recursive: true });
  return dir;
}

/** Replaces the one occurrence of `from` in `file`; fails loudly when the pack changed under the test. */
export function editPack(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${file}: expected exactly one ${JSON.stringify(from)}`);
  writeFileSync(full, text.slice(0, at) + to + text.slice(at + from.length));
}

export function writePackFile(dir: string, file: string, text: string): void {
  writeFileSync(path.join(dir, file), text);
}

export function removePack(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
