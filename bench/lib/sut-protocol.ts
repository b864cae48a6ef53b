// What the bench parent and its worker children tell each other.
import type { Tuning } from './tuning';

export interface WorkerChildConfig {
  suite: 'baseline' | 'hearken';
  address: string;
  namespace: string;
  taskQueue: string;
  /** The workflow bundle's code, written once by the parent. */
  bundlePath: string;
  policiesDir: string;
  dataDir: string;
  tuning: Tuning;
}

/** Times are epoch milliseconds with sub-ms resolution (performance.timeOrigin + now()). */
export type ProbeEvent =
  /** An activity attempt started; s2s = its schedule-to-start time. */
  | { kind: 'act'; wf: string; type: string; at: number; s2s: number; local: boolean }
  /** The workflow has no activity in flight any more (bench/workflows/probe.ts). */
  | { kind: 'settled'; wf: string; at: number }
  /** The channel adapter published a reply of this interaction. */
  | { kind: 'reply'; wf: string; at: number };
