// The worker's end of the care-metrics sink (src/shared/care-metrics.ts):
// each call from an interaction workflow becomes a Prometheus observation in
// this process's registry. callDuringReplay: false (the SDK's default, said
// out loud): a workflow replayed from history — after a cache eviction, a
// worker restart, on another worker — reports nothing it reported before.
// A workflow task that fails and is retried may report twice (the SDK calls
// sinks once per attempt); rare, and never on replay.
import type { InjectedSinks } from '@temporalio/worker';
import type { CareMetricsSinks } from '../shared/care-metrics';
import { metrics } from './metrics';

export function careMetricsSinks(): InjectedSinks<CareMetricsSinks> {
  return {
    care: {
      commitment: {
        fn: (_info, e) => metrics.commitments.inc({ policy: e.policy, commitment: e.commitment, outcome: e.outcome }),
        callDuringReplay: false,
      },
      firstReply: {
        fn: (_info, e) => metrics.firstReply.observe({ policy: e.policy, channel: e.channel }, e.seconds),
        callDuringReplay: false,
      },
      escalation: {
        fn: (_info, e) => metrics.escalationDecision.observe({ policy: e.policy, team: e.team, decision: e.decision }, e.seconds),
        callDuringReplay: false,
      },
    },
  };
}
