// `npm start`: embedded Temporal dev server (unless TEMPORAL_ADDRESS is set),
// worker and API in one process.
import { exitOnStartFailure, runUntilSignal } from './run';

runUntilSignal({ worker: true, api: true }).catch(exitOnStartFailure);
