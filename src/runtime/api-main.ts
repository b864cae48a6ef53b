// `npm run api`: the HTTP API alone, against TEMPORAL_ADDRESS (or the embedded dev server).
import { exitOnStartFailure, runUntilSignal } from './run';

runUntilSignal({ worker: false, api: true }).catch(exitOnStartFailure);
