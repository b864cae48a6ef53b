// Agents answer any open interaction, not only escalations: a reply of their
// own, published verbatim through the channel (the workflow's `agentReply`
// Update, which also counts it for the commitments), and internal notes
// (`addNote`: timeline only). Who may: agent, lead or admin in a team that
// holds the interaction (a team of its escalations, open or decided); an
// interaction that never escalated, in any team.
import crypto from 'node:crypto';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { addNoteUpdate, agentReplyUpdate, stateQuery, type AgentReplyResult, type InteractionState } from '../../workflows/definitions';
import { highestRole, mayDecide, roleIn, type Role, type User } from '../auth';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem } from '../http/problem';
import { earlierDecision, IDEMPOTENCY_KEY } from './escalations';
import { checkInteractionId } from './ids';
import { refuseTooLongReply } from './reply-length';

export function agentHandlers(deps: AppDeps): Pick<RouteHandlers, 'replyToInteraction' | 'addNote'> {
  return {
    replyToInteraction: async (req, res, { body: validBody }) => {
      const id = checkInteractionId(req.params.id);
      const key = req.get('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
        throw new HttpProblem(422, 'Invalid Idempotency-Key', 'Idempotency-Key: 1 to 200 printable ASCII characters', [
          { field: 'Idempotency-Key', message: '1 to 200 printable ASCII characters' },
        ]);
      const { text } = validBody();
      const user: User = res.locals.user;
      // Without a key, the same person sending the same text to the same interaction is one reply.
      const replyId = crypto
        .createHash('sha256')
        .update(`${user.name}\n${key ?? `text:${text}`}`)
        .digest('base64url')
        .slice(0, 24);
      const updateId = `agentReply:${replyId}`;
      const handle = deps.client.workflow.getHandle(id);
      const earlier = await earlierDecision<AgentReplyResult>(handle, updateId);
      if (earlier) {
        res.json({ interactionId: id, replyId, published: published(earlier), duplicate: true });
        return;
      }
      const state = await openState(handle, id);
      const role = agentRole(user, state);
      await refuseTooLongReply(deps.connectors, state, text, 'text');
      const result = await handle.executeUpdate(agentReplyUpdate, { args: [{ text, by: { name: user.name, role }, replyId }], updateId });
      res.json({ interactionId: id, replyId, published: published(result), duplicate: false });
    },

    addNote: async (req, res, { body: validBody }) => {
      const id = checkInteractionId(req.params.id);
      const { text } = validBody();
      const user: User = res.locals.user;
      const handle = deps.client.workflow.getHandle(id);
      const state = await openState(handle, id);
      const role = agentRole(user, state);
      const note = await handle.executeUpdate(addNoteUpdate, { args: [{ text, by: { name: user.name, role } }] });
      res.status(201).json({ interactionId: id, ...note });
    },
  };
}

function published(r: AgentReplyResult) {
  return { messageId: r.messageId, text: r.text, publishedAt: r.publishedAt, channel: r.channel, by: r.by };
}

/** The interaction's state, or 404 (no such interaction) or 409 (it has closed). */
async function openState(handle: WorkflowHandle, id: string): Promise<InteractionState> {
  try {
    const [desc, state] = await Promise.all([handle.describe(), handle.query(stateQuery)]);
    if (desc.status.name !== 'RUNNING' || state.status === 'closed')
      throw new HttpProblem(409, 'Conflict', `the interaction has closed (${state.status}); a new post of its thread opens it again`);
    return state;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5)
      throw new HttpProblem(404, 'Interaction not found', `no interaction ${id}`);
    throw err;
  }
}

/** The role `user` answers with, or 403: agent or above in a team that holds the interaction. */
export function agentRole(user: User, state: Pick<InteractionState, 'escalations'>): Role {
  const teams = [...new Set(state.escalations.map((e) => e.team))];
  if (teams.length === 0) {
    const role = highestRole(user);
    if (!mayDecide(role)) throw new HttpProblem(403, 'Forbidden', `${user.name} is a viewer: viewers do not answer`);
    return role!;
  }
  const roles = teams.map((t) => roleIn(user, t)).filter((r): r is Role => mayDecide(r));
  if (roles.length === 0)
    throw new HttpProblem(403, 'Forbidden', `answering this interaction needs the agent role in team ${teams.join(' or ')}`);
  return highestRole({ teams: Object.fromEntries(roles.map((r, i) => [String(i), r])) })!;
}
