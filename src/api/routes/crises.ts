// The pulse and its crises over HTTP: read them (any person), acknowledge and
// close a crisis (leads and admins). Both live in the brand's pulse workflow
// (src/workflows/pulse.ts); these handlers check the caller and hand over to
// its Updates, whose validators have the last word.
import { CONTROL_ROLES } from '../../shared/controls';
import type { CrisisActor } from '../../shared/pulse';
import { crisisAction, readPulse } from '../../client/crises';
import { brandKey } from '../../pulse/brand';
import { highestRole, type User } from '../auth';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem } from '../http/problem';

const STATUSES = ['open', 'acknowledged', 'closed'];

export function crisisHandlers(deps: AppDeps): Pick<RouteHandlers, 'getPulse' | 'listCrises' | 'acknowledgeCrisis' | 'closeCrisis'> {
  const brand = () => brandKey(deps.packs.current());
  return {
    getPulse: async (_req, res) => {
      const view = await readPulse(deps.client, brand());
      res.json({
        brand: brand(),
        minutes: view?.minutes ?? [],
        series: view?.series ?? [],
        baselineSamples: view?.baselineSamples ?? 0,
        streak: view?.streak ?? 0,
        lastEvaluation: view?.lastEvaluation ?? null,
      });
    },

    listCrises: async (req, res) => {
      const status = (req.query as Record<string, unknown>).status;
      if (status !== undefined && (typeof status !== 'string' || !STATUSES.includes(status))) {
        throw new HttpProblem(422, 'Invalid query', `status: must be one of ${STATUSES.join(', ')}`, [
          { field: 'status', message: `must be one of ${STATUSES.join(', ')}` },
        ]);
      }
      const view = await readPulse(deps.client, brand());
      const crises = (view?.crises ?? []).filter((c) => status === undefined || c.status === status).reverse();
      res.json({
        brand: brand(),
        crises: crises.map((c) => ({ ...c, series: c.series.map(([m, n, neg]) => [new Date(m * 60_000).toISOString(), n, neg]) })),
      });
    },

    acknowledgeCrisis: async (req, res, { body }) => {
      const { note, topic } = body();
      const actor = lead(res.locals.user as User, 'acknowledge');
      const c = await crisisAction(deps.client, brand(), 'acknowledge', {
        crisisId: req.params.crisisId,
        actor,
        ...(note ? { note } : {}),
        ...(topic ? { topic } : {}),
      });
      res.json({ ...c, series: c.series.map(([m, n, neg]) => [new Date(m * 60_000).toISOString(), n, neg]) });
    },

    closeCrisis: async (req, res, { body }) => {
      const { note, topic } = body();
      if (topic !== undefined) {
        throw new HttpProblem(422, 'Invalid close', 'topic: only an acknowledgement names the topic', [
          { field: 'topic', message: 'only an acknowledgement names the topic' },
        ]);
      }
      const actor = lead(res.locals.user as User, 'close');
      const c = await crisisAction(deps.client, brand(), 'close', { crisisId: req.params.crisisId, actor, ...(note ? { note } : {}) });
      res.json({ ...c, series: c.series.map(([m, n, neg]) => [new Date(m * 60_000).toISOString(), n, neg]) });
    },
  };
}

/** Leads and admins (of any team: a crisis is the brand's) acknowledge and close crises. */
function lead(user: User, what: string): CrisisActor {
  const role = highestRole(user);
  if (!role || !CONTROL_ROLES.includes(role)) {
    throw new HttpProblem(403, 'Forbidden', `${what}: needs the lead or admin role; ${user.name} is ${role ?? 'without a role'}`);
  }
  return { name: user.name, role };
}
