// Automatic replies while publishing is paused (PATCH.pauseSwitch). Every
// automatic reply (interimReply, reply, followUp text, periodicUpdate) asks
// the publish activity to obey the switch; a paused one comes back unpublished
// (with the pause that stopped it) and waits here as a held reply instead:
// recorded with the pause's who and when, listed for leads (search attribute
// HearkenHeld, memo `held`), registered with the controls workflow. It waits
// beside the steps: the plan goes on (an escalation still opens for people),
// only the words do not go out. A lead decides, for a whole pause on resume
// or for one interaction: release publishes it (checking the switch again, so
// a reply released into another pause waits again), discard records it and
// sends nothing. A lead releasing one interaction's reply approves it: it
// goes out even while the pause lasts. Replies a person approved (decide)
// are not automatic and are never held.
import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { CONTROL_ROLES, CONTROLS_WORKFLOW_ID, type Pause } from '../shared/controls';
import { ErrorType } from '../shared/errors';
import { SA } from '../shared/search-attributes';
import { decideHeldUpdate, heldDecisionSignal, heldSignal, type HeldDecisionInput, type HeldRecord } from './controls-messages';
import type { ReplyRecord } from './definitions';
import { PATCH } from './patches';
import { PublishingPaused, type RunContext } from './run-context';

export type AutomaticKind = HeldRecord['kind'];

/** Publishes an automatic reply, or holds it while publishing is paused. */
export async function publishOrHold(ctx: RunContext, text: string, kind: AutomaticKind, path: string): Promise<ReplyRecord | HeldRecord> {
  if (!patched(PATCH.pauseSwitch)) return ctx.publish(text, kind, path);
  try {
    // Pauses whose resume released a reply here are over for this interaction, whatever a worker's cache says.
    const liftedPauses = [...new Set((ctx.state.held ?? []).filter((h) => h.via === 'resume').map((h) => h.pause.id))];
    return await ctx.publish(text, kind, path, { automatic: true, liftedPauses });
  } catch (err) {
    if (!(err instanceof PublishingPaused)) throw err;
    return hold(ctx, text, kind, path, err.pause);
  }
}

export function isHeld(r: ReplyRecord | HeldRecord): r is HeldRecord {
  return 'pause' in r;
}

/** The replies of this interaction still waiting (under `pauseId`, when given). */
export function waitingReplies(ctx: RunContext, pauseId?: string): HeldRecord[] {
  return (ctx.state.held ?? []).filter((h) => h.status === 'held' && (pauseId === undefined || h.pause.id === pauseId));
}

/** What waits is decided by the switch's resume (a signal) or by a lead for this interaction (an update). */
export function handleHeldDecisions(ctx: RunContext): void {
  setHandler(heldDecisionSignal, (d) => void applyHeldDecision(ctx, d));
  setHandler(decideHeldUpdate, (d) => ({ decision: d.decision, replies: applyHeldDecision(ctx, d) }), {
    validator: (d) => {
      if (!CONTROL_ROLES.includes(d.by?.role)) {
        throw ApplicationFailure.create({
          type: ErrorType.NotAllowed,
          message: 'releasing or discarding held replies needs the lead or admin role',
        });
      }
      if (d.decision !== 'release' && d.decision !== 'discard') {
        throw ApplicationFailure.create({ type: ErrorType.InvalidDecision, message: 'decision: must be release or discard' });
      }
      if (waitingReplies(ctx).every((h) => ctx.heldDecisions.has(h))) {
        throw ApplicationFailure.create({ type: ErrorType.NothingHeld, message: 'no reply of this interaction waits for a decision' });
      }
    },
  });
}

/** A decision for what waits; returns how many replies it decides. */
function applyHeldDecision(ctx: RunContext, d: HeldDecisionInput): number {
  const replies = waitingReplies(ctx, d.pauseId).filter((h) => !ctx.heldDecisions.has(h));
  for (const h of replies) ctx.heldDecisions.set(h, d);
  return replies.length;
}

/** Ends the wait of a held reply that no longer makes sense (its escalation was decided). */
export function supersede(ctx: RunContext, h: HeldRecord, reason: string): void {
  if (h.status !== 'held') return;
  h.status = 'superseded';
  h.reason = reason;
  ctx.record('reply.superseded', { heldId: h.id, kind: h.kind, stepPath: h.stepPath, reason });
  refreshHeld(ctx);
}

function hold(ctx: RunContext, text: string, kind: AutomaticKind, path: string, pause: Pause): HeldRecord {
  const held = (ctx.state.held ??= []);
  const h: HeldRecord = {
    id: `${path}#${held.filter((x) => x.stepPath === path).length + 1}`,
    kind,
    stepPath: path,
    postId: ctx.lastPost().id,
    text,
    pause,
    heldAt: ctx.now(),
    status: 'held',
  };
  held.push(h);
  ctx.holding++;
  ctx.record('reply.held', {
    heldId: h.id,
    kind,
    stepPath: path,
    pause: {
      id: pause.id,
      scope: pause.key,
      since: pause.since,
      by: pause.by.name,
      role: pause.by.role,
      ...(pause.note ? { note: pause.note } : {}),
    },
  });
  refreshHeld(ctx);
  void ctx.background(awaitDecision(ctx, h), 'held reply');
  return h;
}

async function awaitDecision(ctx: RunContext, h: HeldRecord): Promise<void> {
  try {
    // Registered with the switch so that its resume reaches this interaction.
    await getExternalWorkflowHandle(CONTROLS_WORKFLOW_ID)
      .signal(heldSignal, { interactionId: ctx.interactionId, pauseId: h.pause.id })
      .catch((err: unknown) => {
        if (isCancellation(err)) throw err;
        // Still listed for leads, who can decide it here; only the resume will not reach it.
        ctx.record('reply.unregistered', { heldId: h.id, reason: 'the controls workflow did not take the registration' });
      });
    await condition(() => ctx.heldDecisions.has(h) || h.status !== 'held');
    if (h.status !== 'held') return;
    const d = ctx.heldDecisions.get(h)!;
    ctx.heldDecisions.delete(h);
    h.status = d.decision === 'release' ? 'released' : 'discarded';
    h.decidedAt = ctx.now();
    h.decidedBy = d.by;
    h.via = d.via;
    if (d.note) h.note = d.note;
    ctx.record(
      `reply.${h.status}`,
      { heldId: h.id, kind: h.kind, stepPath: h.stepPath, pauseId: h.pause.id, role: d.by.role, via: d.via, note: d.note },
      d.by.name,
    );
    refreshHeld(ctx);
    if (h.status === 'released') {
      // The same step path, so the same idempotency key: it is published at most once.
      // Released by a lead for this interaction, it is a person's approval and
      // goes out like an approved reply; released by a resume, it is still
      // automatic and obeys the switch as it is now (another pause holds it again).
      const out =
        d.via === 'decision' ? await ctx.publish(h.text, h.kind, h.stepPath) : await publishOrHold(ctx, h.text, h.kind, h.stepPath);
      if (h.kind === 'reply' && !isHeld(out)) ctx.resolved = true;
    }
  } catch (err) {
    // A higher-priority policy took over: the old plan's words are void.
    if (isCancellation(err)) supersede(ctx, h, 'takeover');
    throw err;
  } finally {
    ctx.holding--;
  }
}

/** The search attribute leads' lists find held replies by, and the memo those lists show. */
function refreshHeld(ctx: RunContext): void {
  const waiting = waitingReplies(ctx);
  const post = (id: string) => ctx.state.posts.find((p) => p.id === id) ?? ctx.lastPost();
  upsertSearchAttributes([{ key: SA.held, value: waiting.length > 0 }]);
  upsertMemo({
    held: waiting.map((h) => {
      const p = post(h.postId);
      return {
        id: h.id,
        kind: h.kind,
        stepPath: h.stepPath,
        text: h.text,
        heldAt: h.heldAt,
        pause: h.pause,
        post: { id: p.id, channel: p.channel, author: p.author, text: p.text.slice(0, 1000), createdAt: p.createdAt },
      };
    }),
  });
}
