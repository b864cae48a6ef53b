// `npm start`: embedded Temporal dev server (unless TEMPORAL_ADDRESS is set),
// worker and API in one process.
import { runUntilSignal } from './run';

runUntilSignal({ worker: true, api: true }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
