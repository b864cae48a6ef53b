// A workflow interceptor bundled with both the baseline and the Hearken
// workflows (bundleWorkflowCode's workflowInterceptorModules): it tells the
// bench when a workflow has *settled*, i.e. an activation ended with no
// activity (normal or local) in flight after at least one was run. For the
// baselines that is the completion; for an interaction it is the moment its
// post is handled (triaged, first steps done) and it waits on timers or
// people. The same signal for both keeps throughput comparable without
// touching Hearken's workflow code. Reported once per run, through a sink,
// which the worker calls outside the sandbox and never during replay.
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface ProbeSinks extends Sinks {
  probe: { settled(): void };
}

const { probe } = proxySinks<ProbeSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => {
  let inFlight = 0;
  let ranOne = false;
  let reported = false;
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight++;
    ranOne = true;
    return p.finally(() => {
      inFlight--;
    });
  };
  return {
    outbound: [
      {
        scheduleActivity: (input, next) => track(next(input)),
        scheduleLocalActivity: (input, next) => track(next(input)),
      },
    ],
    internals: [
      {
        concludeActivation(input, next) {
          if (ranOne && inFlight === 0 && !reported) {
            reported = true;
            probe.settled();
          }
          return next(input);
        },
      },
    ],
  };
};
