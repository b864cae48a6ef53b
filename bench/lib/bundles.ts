// Workflow bundles, built once per run and written to files that the worker
// children load (`workflowBundle: { codePath }`), so no child pays for
// webpack. Every bundle carries the settle probe (bench/workflows/probe.ts).
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../src/runtime/temporal/worker';

const HERE = path.resolve(import.meta.dirname, '..');
const PROBE = path.join(HERE, 'workflows/probe.ts');
const ASSESS_LOCAL = path.join(HERE, 'workflows/assess-local.ts');
const COALESCE = path.join(HERE, 'workflows/coalesce-upserts.ts');

/** `hearken`, optionally with experiment interceptors: `hearken+assess-local+coalesce-upserts`. */
export type BundleName = 'baseline' | 'hearken' | `hearken+${string}`;

export function hearkenBundleName(t: { assessAsLocalActivity?: boolean; coalesceUpserts?: boolean }): BundleName {
  const parts = [t.assessAsLocalActivity ? 'assess-local' : '', t.coalesceUpserts ? 'coalesce-upserts' : ''].filter(Boolean);
  return parts.length ? `hearken+${parts.join('+')}` : 'hearken';
}

const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

export async function writeBundle(name: BundleName, dir: string): Promise<{ path: string; bytes: number }> {
  const workflowsPath = name === 'baseline' ? path.join(HERE, 'workflows/index.ts') : WORKFLOWS_PATH;
  const interceptors = [
    PROBE,
    // Hearken's own interceptors are part of its workflow code.
    ...(name === 'baseline' ? [] : WORKFLOW_INTERCEPTOR_MODULES),
    ...(name.includes('+assess-local') ? [ASSESS_LOCAL] : []),
    ...(name.includes('+coalesce-upserts') ? [COALESCE] : []),
  ];
  const bundle = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: interceptors, logger: quiet });
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, bundle.code);
  return { path: file, bytes: Buffer.byteLength(bundle.code) };
}
