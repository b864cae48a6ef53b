// Experiment only (bench --experiments): runs Hearken's assessPost as a
// local activity instead of a normal one, by rerouting it in a workflow
// interceptor, so the effect can be measured without editing src/workflows.
// A local activity runs in the worker that runs the workflow task: no
// activity task on the queue, no ActivityTaskScheduled/Started/Completed
// events, and one workflow task fewer per post. The result is still recorded
// (a marker), so replay stays deterministic.
import { proxyLocalActivities, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { Activities } from '../../src/activities';

const { assessPost } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity: (input, next) =>
        input.activityType === 'assessPost' ? assessPost(...(input.args as Parameters<Activities['assessPost']>)) : next(input),
    },
  ],
});
