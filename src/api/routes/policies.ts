// GET /v1/policies: the pack in force, its version, and why the last reload
// failed (the old pack stays in force meanwhile), so a care lead sees both;
// and the version each live worker runs (`workers`), so a lead sees when the
// workers do not all run this pack.
import { formatPackError } from '../../policy/pack/load-pack';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';

export function policyHandlers(deps: AppDeps): Pick<RouteHandlers, 'getPolicies'> {
  return {
    getPolicies: async (_req, res) => {
      const pack = deps.packs.current();
      const lastError = deps.packs.lastError();
      const workers = deps.workerPacks
        ? await deps.workerPacks.read(pack.version.id).catch((err: unknown) => ({
            status: 'unknown' as const,
            versions: [],
            workers: [],
            detail: `cannot read the worker registry: ${err instanceof Error ? err.message : String(err)}`,
          }))
        : undefined;
      res.json({
        version: pack.version,
        dir: pack.dir,
        policies: pack.policies.map((p) => ({
          id: p.id,
          priority: p.priority,
          description: p.description ?? null,
          calendar: p.calendar ?? null,
        })),
        teams: Object.keys(pack.teams),
        calendars: Object.keys(pack.calendars),
        templates: Object.keys(pack.templates),
        lastError: lastError ? { at: lastError.at, errors: lastError.errors.map((e) => ({ ...e, text: formatPackError(e) })) } : null,
        ...(workers ? { workers } : {}),
      });
    },
  };
}
