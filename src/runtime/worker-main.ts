// `npm run worker`: the worker alone, against TEMPORAL_ADDRESS (or the embedded dev server).
import { runUntilSignal } from './run';

runUntilSignal({ worker: true, api: false }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
