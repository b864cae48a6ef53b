// `npm run api`: the HTTP API alone, against TEMPORAL_ADDRESS (or the embedded dev server).
import { runUntilSignal } from './run';

runUntilSignal({ worker: false, api: true }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
