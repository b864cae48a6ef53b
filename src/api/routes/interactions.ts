// An interaction's state (the workflow's state query, minus what is internal)
// and its audit timeline, as JSON or streamed as NDJSON.
import { WorkflowNotFoundError } from '@temporalio/client';
import { buildTimeline } from '../../client/timeline';
import { describeLimit } from '../../channels/text-limit';
import { stateQuery, type InteractionState } from '../../workflows/definitions';
import { workflowUiLink } from '../../client/ui-links';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem } from '../http/problem';
import { checkInteractionId } from './ids';
import { renderForInteraction } from './templates';

export function interactionHandlers(deps: AppDeps): Pick<RouteHandlers, 'getInteraction' | 'getInteractionHistory'> {
  return {
    getInteraction: async (req, res) => {
      const id = checkInteractionId(req.params.id);
      const handle = deps.client.workflow.getHandle(id);
      const [desc, state] = await Promise.all([handle.describe(), handle.query(stateQuery)]).catch(notFound(id));
      const channel = state.posts[state.posts.length - 1]?.channel ?? id.split(':')[0] ?? '';
      const limit = await deps.connectors.textLimitFor(channel).catch(() => null);
      res.json({
        ...publicState(state),
        // What the desk's reply box counts against.
        channel: { name: channel, replyLimit: limit ? { max: limit.max, unit: limit.unit, text: describeLimit(limit) } : null },
        // The pending escalation's draft as the customer would read it (the desk prefills it);
        // approved unchanged, the workflow renders the same template itself.
        pendingDraft: pendingDraft(deps, state),
        workflow: {
          id,
          runId: desc.runId,
          status: desc.status.name,
          startTime: desc.startTime.toISOString(),
          closeTime: desc.closeTime?.toISOString() ?? null,
        },
        links: { temporalUi: workflowUiLink(deps, id) ?? null, history: `/v1/interactions/${encodeURIComponent(id)}/history` },
      });
    },

    getInteractionHistory: async (req, res) => {
      const id = checkInteractionId(req.params.id);
      const events = await buildTimeline(deps.client, id).catch(notFound(id));
      if (req.query.format === 'ndjson') {
        res.type('application/x-ndjson');
        for (const e of events) res.write(JSON.stringify(e) + '\n');
        res.end();
        return;
      }
      res.json({ interactionId: id, events, links: { temporalUi: workflowUiLink(deps, id) ?? null } });
    },
  };
}

function publicState(s: InteractionState) {
  return {
    interactionId: s.interactionId,
    status: s.status,
    triage: s.triage,
    policy: s.policy ? { id: s.policy.id, version: s.policy.version, priority: s.policy.priority } : null,
    candidates: s.candidates,
    steps: s.steps,
    deadlines: s.deadlines,
    commitments: s.commitments,
    replies: s.replies,
    escalations: s.escalations,
    posts: s.posts,
    ...(s.counts ? { counts: s.counts } : {}),
    ...(s.held?.length ? { held: s.held } : {}),
    ...(s.ignoredReason ? { ignoredReason: s.ignoredReason } : {}),
  };
}

function notFound(id: string) {
  return (err: unknown): never => {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5) {
      throw new HttpProblem(404, 'Interaction not found', `no interaction ${id}`);
    }
    throw err;
  };
}

function pendingDraft(deps: AppDeps, state: InteractionState): { template: string; text: string } | null {
  const pending = state.escalations.find((e) => e.status === 'pending');
  if (pending?.draftReply === undefined) return null;
  return { template: pending.draftReply, text: renderForInteraction(deps.packs.current(), state, pending.draftReply) };
}
