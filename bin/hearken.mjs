#!/usr/bin/env node
// The `hearken` command: runs the TypeScript sources through tsx (no build step).
import '../scripts/check-node.mjs';
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
