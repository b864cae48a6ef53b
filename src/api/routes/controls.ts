// The pause switch over HTTP: read it (any person), pause and resume (leads
// and admins), and release or discard one interaction's held replies. The
// switch lives in the controls workflow (src/workflows/controls.ts); these
// handlers check the caller and hand over to its Updates, whose validators
// have the last word.
import { WorkflowNotFoundError } from '@temporalio/client';
import { pausePublishing, readControls, resumePublishing } from '../../client/controls';
import { bareHandle, CONTROL_ROLES, scopeFrom, type Actor, type PauseScope } from '../../shared/controls';
import { decideHeldUpdate } from '../../workflows/controls-messages';
import { stateQuery } from '../../workflows/definitions';
import { highestRole, type User } from '../auth';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem } from '../http/problem';
import { checkInteractionId } from './ids';

export function controlsHandlers(
  deps: AppDeps,
): Pick<RouteHandlers, 'getControls' | 'pausePublishing' | 'resumePublishing' | 'decideHeld'> {
  return {
    getControls: async (_req, res) => {
      const view = await readControls(deps.client);
      res.json({ paused: view.pauses.length > 0, ...view });
    },

    pausePublishing: async (req, res, { body }) => {
      const { channel, account, note } = body();
      const actor = controller(res.locals.user as User, 'pause');
      const scope = checkedScope(deps, { channel, account }, true);
      res.json(await pausePublishing(deps.client, deps.taskQueue, { scope, actor, ...(note ? { note } : {}) }));
    },

    resumePublishing: async (req, res, { body }) => {
      const { channel, account, all, decision, note } = body();
      const actor = controller(res.locals.user as User, 'resume');
      if (all && (channel !== undefined || account !== undefined)) {
        throw new HttpProblem(422, 'Invalid resume', 'all: resumes every pause; leave out channel and account', [
          { field: 'all', message: 'not together with channel or account' },
        ]);
      }
      const scope = all ? undefined : checkedScope(deps, { channel, account });
      res.json(
        await resumePublishing(deps.client, deps.taskQueue, {
          decision,
          actor,
          ...(all ? { all: true } : { scope }),
          ...(note ? { note } : {}),
        }),
      );
    },

    decideHeld: async (req, res, { body }) => {
      const id = checkInteractionId(req.params.interactionId);
      const { decision, note } = body();
      const by = controller(res.locals.user as User, decision);
      const handle = deps.client.workflow.getHandle(id);
      try {
        await handle.query(stateQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5)
          throw new HttpProblem(404, 'Interaction not found', `no interaction ${id}`);
        throw err;
      }
      const result = await handle.executeUpdate(decideHeldUpdate, { args: [{ decision, by, via: 'decision', ...(note ? { note } : {}) }] });
      res.json({ interactionId: id, ...result });
    },
  };
}

/** Leads and admins (in any team: the switch is not a team's) change the switch and decide held replies. */
function controller(user: User, what: string): Actor {
  const role = highestRole(user);
  if (!role || !CONTROL_ROLES.includes(role)) {
    throw new HttpProblem(403, 'Forbidden', `${what}: needs the lead or admin role; ${user.name} is ${role ?? 'without a role'}`);
  }
  return { name: user.name, role, via: 'api' };
}

/** The scope asked for; an account to pause must be one of ours (accounts.yaml), or pausing it would pause nothing. */
function checkedScope(deps: AppDeps, input: { channel?: string | undefined; account?: string | undefined }, forPause = false): PauseScope {
  const scope = scopeFrom({
    ...(input.channel !== undefined ? { channel: input.channel } : {}),
    ...(input.account !== undefined ? { account: input.account } : {}),
  });
  if (typeof scope === 'string') {
    const [field = 'channel', ...rest] = scope.split(': ');
    throw new HttpProblem(422, 'Invalid scope', scope, [{ field: rest.length ? field : 'account', message: rest.join(': ') || scope }]);
  }
  if (forPause && scope.kind === 'account') {
    const ours = deps.packs.current().accounts.some((a) => a.channel === scope.channel && bareHandle(a.handle) === scope.handle);
    if (!ours) {
      throw new HttpProblem(422, 'Invalid scope', `account: ${scope.channel}:${scope.handle} is not one of our accounts (accounts.yaml)`, [
        { field: 'account', message: 'not one of our accounts (accounts.yaml)' },
      ]);
    }
  }
  return scope;
}
