// Workflow entry points, re-exported by name (a bundle has lost workflows to `export *`).
export { interaction } from './interaction';
export { controls } from './controls';
export { listener } from './listener';
export { workerRegistry } from './worker-registry';
export { pulse } from './pulse';
