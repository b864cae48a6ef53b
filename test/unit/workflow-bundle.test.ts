// Bundling the workflow code catches a forbidden import (node:fs, the API,
// activities at runtime) in about a second, with no server.
import { describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';

describe('workflow bundle', () => {
  it('bundles without Node built-ins or heavy libraries', async () => {
    const bundle = await bundleWorkflows();
    expect(bundle.code.length).toBeGreaterThan(1000);
    // yaml, ajv and luxon must stay out: module code is paid per cached workflow.
    for (const lib of ['node_modules/yaml/', 'node_modules/ajv/', 'node_modules/luxon/', 'node_modules/express/']) {
      expect(bundle.code.includes(lib), lib).toBe(false);
    }
  }, 60_000);
});
