// What a person does on an interaction besides deciding escalations: a reply
// of their own, published verbatim through the channel (the `agentReply`
// update), and an internal note (`addNote`), recorded in the timeline and
// never published. An agent reply is a reply like any other: it joins
// `state.replies`, so the commitment clocks waiting for a reply (first and
// next response) are met by it (commitments.ts isMet).
//
// No patch: these handlers issue commands only while handling their own
// Update, which no history recorded before them contains, so every recorded
// interaction replays unchanged (test/unit/replay.test.ts).
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { ErrorType } from '../shared/errors';
import { addNoteUpdate, agentReplyUpdate, type AgentReplyInput, type NoteInput } from './definitions';
import type { RunContext } from './run-context';

const MAX_TEXT = 5000;

export function handleAgentActions(ctx: RunContext, isOpen: () => boolean): void {
  let notes = 0;
  setHandler(
    agentReplyUpdate,
    async (input) => {
      const reply = await ctx.publish(input.text, 'agentReply', `agent/${input.replyId}`, { verbatim: true, by: input.by.name });
      ctx.record('agent.replied', { replyId: input.replyId, messageId: reply.messageId, role: input.by.role }, input.by.name);
      ctx.refreshSummary();
      return {
        replyId: input.replyId,
        messageId: reply.messageId,
        text: reply.text,
        publishedAt: reply.publishedAt,
        channel: reply.channel,
        by: input.by.name,
      };
    },
    { validator: (input) => validate(ctx, isOpen, input, true) },
  );
  setHandler(
    addNoteUpdate,
    (input) => {
      notes++;
      const at = ctx.now();
      const noteId = `note-${notes}-${Date.parse(at)}`;
      ctx.record('note.added', { noteId, text: input.text, role: input.by.role }, input.by.name);
      return { noteId, at, by: input.by.name };
    },
    { validator: (input) => validate(ctx, isOpen, input, false) },
  );
}

function validate(ctx: RunContext, isOpen: () => boolean, input: AgentReplyInput | NoteInput, reply: boolean): void {
  if (!input || typeof input.text !== 'string' || !input.text.trim() || input.text.length > MAX_TEXT)
    throw ApplicationFailure.create({ type: ErrorType.InvalidAgentInput, message: `text: 1 to ${MAX_TEXT} characters, not blank` });
  if (!input.by || typeof input.by.name !== 'string')
    throw ApplicationFailure.create({ type: ErrorType.InvalidAgentInput, message: 'by: who writes it' });
  if (!isOpen()) throw ApplicationFailure.create({ type: ErrorType.InteractionClosed, message: 'the interaction has closed' });
  // A reply answers the customer's latest post: none yet (or none kept), nothing to answer.
  if (reply && ctx.state.posts.length === 0)
    throw ApplicationFailure.create({ type: ErrorType.InteractionClosed, message: 'the interaction has no post to answer' });
}
