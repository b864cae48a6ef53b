// An approval whose reply is longer than the interaction's channel allows is
// refused at once (422), so the decider shortens it, rather than accepted and
// then refused by the publish activity (which would hand it back to a human).
import type { Connectors } from '../../channels/connectors';
import { describeLimit, excess, measure } from '../../channels/text-limit';
import type { InteractionState } from '../../workflows/definitions';
import { HttpProblem } from '../http/problem';

export async function refuseTooLongReply(
  connectors: Connectors,
  state: InteractionState,
  reply: string,
  field: 'reply' | 'text' = 'reply',
): Promise<void> {
  const channel = state.posts[state.posts.length - 1]?.channel;
  if (!channel) return;
  const limit = await connectors.textLimitFor(channel).catch(() => null);
  if (!limit || excess(reply.trim(), limit) === 0) return;
  const message = `is ${measure(reply.trim(), limit.unit)} ${limit.unit} long; ${channel} allows ${describeLimit(limit)}`;
  throw new HttpProblem(422, 'Reply too long', `${field}: ${message}`, [{ field, message }]);
}
