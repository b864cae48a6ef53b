// Escalations: what waits for a decision (from visibility: search attributes
// and the memo, no second database) and the decision itself, carried to the
// workflow as an Update whose validator has the last word.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { Decider, DecisionResult, EscalationMemo, InteractionState } from '../../workflows/definitions';
import { decideUpdate, stateQuery } from '../../workflows/definitions';
import { metrics } from '../../runtime/metrics';
import { decisionRole, highestRole, roleIn, type User } from '../auth';
import { CONTROL_ROLES } from '../../shared/controls';
import { workflowUiLink } from '../../client/ui-links';
import { and, vq } from '../../client/visibility-query';
import type { AppDeps } from '../deps';
import { refuseTooLongReply } from './reply-length';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem, toProblem } from '../http/problem';
import { queryLastDecided } from '../desk/decided';
import type { Escalation, HeldReply } from '../types.generated';
import type { HeldRecord } from '../../workflows/controls-messages';
import { checkInteractionId } from './ids';

const TEAM = /^[a-z0-9][a-z0-9-]{0,99}$/u;
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/u;

// Authentication and the decision rate limit come from the route table (the mount).
export function escalationHandlers(deps: AppDeps): Pick<RouteHandlers, 'listEscalations' | 'decideEscalation'> {
  return { listEscalations: listEscalations(deps), decideEscalation: decideEscalation(deps) };
}

function listEscalations(deps: AppDeps): RouteHandlers['listEscalations'] {
  return async (req, res) => {
    const team = typeof req.query.team === 'string' ? req.query.team : undefined;
    const status = req.query.status ?? 'pending';
    if (status !== 'pending')
      throw new HttpProblem(422, 'Invalid query', 'status: only "pending" is supported', [
        { field: 'status', message: 'must be "pending"' },
      ]);
    if (team !== undefined && !TEAM.test(team))
      throw new HttpProblem(422, 'Invalid query', 'team: not a team id', [
        { field: 'team', message: 'must be a team id (lower-case, digits, dashes)' },
      ]);
    const user: User = res.locals.user;
    const query = and(vq`HearkenStatus = 'awaiting-decision'`, team !== undefined && vq`HearkenTeam = ${team}`).text;
    const now = Date.now();
    const escalations: Escalation[] = [];
    for await (const wf of deps.client.workflow.list({ query })) {
      const memo = wf.memo?.escalation as EscalationMemo | undefined;
      if (!memo) continue;
      // Each role sees its own teams' queues (a viewer too); '*' sees all.
      if (!roleIn(user, memo.team)) continue;
      escalations.push({
        interactionId: wf.workflowId,
        team: memo.team,
        level: memo.level,
        openedAt: memo.openedAt,
        deadline: memo.deadline,
        timeLeftMs: Date.parse(memo.deadline) - now,
        post: memo.post,
        triage: memo.triage,
        policy: memo.policy,
        draftReply: memo.draftReply,
        links: {
          interaction: `/v1/interactions/${encodeURIComponent(wf.workflowId)}`,
          decision: `/v1/escalations/${encodeURIComponent(wf.workflowId)}/decision`,
          temporalUi: workflowUiLink(deps, wf.workflowId) ?? null,
        },
      });
      if (escalations.length >= 1000) break;
    }
    escalations.sort((a, b) => a.deadline.localeCompare(b.deadline));
    res.json({ escalations, held: await heldReplies(deps, user) });
  };
}

/** What the memo `held` holds (src/workflows/held.ts). */
type HeldMemo = Pick<HeldRecord, 'id' | 'kind' | 'stepPath' | 'text' | 'heldAt' | 'pause'> & { post: HeldReply['post'] };

/**
 * Automatic replies held by the pause switch, oldest first, for those who
 * may release or discard them (leads and admins of any team: a pause is not
 * a team's). From visibility (HearkenHeld) and the memo, like escalations.
 */
async function heldReplies(deps: AppDeps, user: User): Promise<HeldReply[]> {
  const role = highestRole(user);
  if (!role || !CONTROL_ROLES.includes(role)) return [];
  const held: HeldReply[] = [];
  for await (const wf of deps.client.workflow.list({ query: vq`WorkflowType = 'interaction' AND HearkenHeld = true`.text })) {
    for (const h of (wf.memo?.held as HeldMemo[] | undefined) ?? []) {
      held.push({
        interactionId: wf.workflowId,
        heldId: h.id,
        kind: h.kind,
        heldAt: h.heldAt,
        text: h.text,
        pause: h.pause,
        post: h.post,
        links: {
          interaction: `/v1/interactions/${encodeURIComponent(wf.workflowId)}`,
          decision: `/v1/held/${encodeURIComponent(wf.workflowId)}/decision`,
          temporalUi: workflowUiLink(deps, wf.workflowId) ?? null,
        },
      });
    }
    if (held.length >= 1000) break;
  }
  return held.sort((a, b) => a.heldAt.localeCompare(b.heldAt));
}

function decideEscalation(deps: AppDeps): RouteHandlers['decideEscalation'] {
  return async (req, res, { body: validBody }) => {
    const id = checkInteractionId(req.params.interactionId);
    const idempotencyKey = req.get('idempotency-key');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new HttpProblem(422, 'Invalid Idempotency-Key', 'Idempotency-Key: 1 to 200 printable ASCII characters', [
        { field: 'Idempotency-Key', message: '1 to 200 printable ASCII characters' },
      ]);
    }
    const body = validBody();
    const user: User = res.locals.user;
    const handle = deps.client.workflow.getHandle(id);
    // The same key is the same Update: a retried request gets the first answer
    // instead of deciding twice (or a 409 because the first one already did).
    const updateId = idempotencyKey ? `decision:${user.name}:${idempotencyKey}` : `decision:${randomUUID()}`;
    if (idempotencyKey) {
      const earlier = await earlierDecision(handle, updateId);
      if (earlier) {
        res.json({ interactionId: id, ...earlier });
        return;
      }
    }
    let state: InteractionState;
    try {
      state = await handle.query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5)
        throw new HttpProblem(404, 'Interaction not found', `no interaction ${id}`);
      throw err;
    }
    const pending = state.escalations.find((e) => e.status === 'pending');
    if (!pending) throw await decidedConflict(handle, 'nothing is waiting for a decision');
    const role = decisionRole(user, pending.team, body.decision);
    if (body.decision === 'approve' && body.reply) await refuseTooLongReply(deps.connectors, state, body.reply);
    const decider: Decider = { name: user.name, role };
    let result: DecisionResult;
    try {
      result = await handle.executeUpdate(decideUpdate, { args: [{ ...body, decider, forTeam: pending.team }], updateId });
    } catch (err) {
      const problem = toProblem(err);
      // Someone else was quicker: say who, what and when (their decision may still be on its way to the timeline).
      if (problem.status === 409) throw await decidedConflict(handle, problem.detail ?? 'decided meanwhile', pending.openedAt, 3_000);
      throw err;
    }
    metrics.decisions.inc({ decision: result.decision });
    res.json({ interactionId: id, ...result });
  };
}

/**
 * 409 saying who decided the escalation, what, and when (decidedBy, decision,
 * decidedAt), from the interaction's timeline; waits up to `waitMs` for a
 * decision accepted but not yet recorded.
 */
async function decidedConflict(handle: WorkflowHandle, detail: string, since?: string, waitMs = 0): Promise<HttpProblem> {
  const until = Date.now() + waitMs;
  for (;;) {
    const end = await queryLastDecided(handle, since).catch(() => null);
    if (end?.by || Date.now() >= until) {
      const extra = end ? { decision: end.decision, decidedAt: end.at, ...(end.by ? { decidedBy: end.by } : {}) } : {};
      const said = end?.by ? `: ${end.by.name} decided ${end.decision} at ${end.at}` : end ? `: ${end.decision} at ${end.at}` : '';
      return new HttpProblem(409, 'Conflict', `${detail}${said}`, undefined, extra);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The result of an Update with this id, if the workflow has one; null when it never saw it. */
export async function earlierDecision<T = DecisionResult>(handle: WorkflowHandle, updateId: string): Promise<T | null> {
  try {
    return await handle.getUpdateHandle<T>(updateId).result();
  } catch (err) {
    // NOT_FOUND: no such update (or no such workflow: the query below says 404).
    if ((err as { code?: number }).code === 5 || (err as { cause?: { code?: number } }).cause?.code === 5) return null;
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
