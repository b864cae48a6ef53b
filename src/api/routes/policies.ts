import { Router } from 'express';
import { formatPackError } from '../../policy/pack/load-pack';
import type { AppDeps } from '../deps';

export function policyRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/v1/policies', (_req, res) => {
    const pack = deps.packs.current();
    const lastError = deps.packs.lastError();
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
    });
  });
  return r;
}
