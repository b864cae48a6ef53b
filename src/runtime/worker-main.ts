// `npm run worker`: the worker alone, against TEMPORAL_ADDRESS (or the embedded dev server).
import { exitOnStartFailure, runUntilSignal } from './run';

runUntilSignal({ worker: true, api: false }).catch(exitOnStartFailure);
