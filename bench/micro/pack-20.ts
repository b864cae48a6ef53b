// The 20-policy pack of the selector micro-benchmark: the default pack plus
// the ten policies in bench/fixtures/pack-20-extra, loaded by the real
// loader (so it is validated like any pack) from a temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPackError, loadPack } from '../../src/policy/pack/load-pack';
import type { PolicyPack } from '../../src/policy/types';

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function loadPack20(): Promise<PolicyPack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-bench-pack20-'));
  try {
    for (const src of [path.join(ROOT, 'policies'), path.join(ROOT, 'bench/fixtures/pack-20-extra')]) {
      for (const f of fs.readdirSync(src)) if (f.endsWith('.yaml')) fs.copyFileSync(path.join(src, f), path.join(dir, f));
    }
    const result = await loadPack(dir);
    if (!result.ok) throw new Error(`the 20-policy pack does not load:\n${result.errors.map(formatPackError).join('\n')}`);
    if (result.pack.policies.length !== 20) throw new Error(`expected 20 policies, got ${result.pack.policies.length}`);
    return result.pack;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
