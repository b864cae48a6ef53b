// Patch ids of workflow changes that alter the commands a running
// interaction issues (README "Replay guard"). Each is declared once here and
// used with patched(); an interaction recorded before the change replays the
// old branch. Remove a branch with deprecatePatch() once no interaction from
// before it is running.
export const PATCH = {
  /**
   * Team notifications run beside the steps (not awaited), with bounded
   * retries and a fallback to notifications.jsonl. Before: the step awaited
   * the notify activity, which retried forever.
   */
  notifyBeside: 'notify-beside-steps',
  /**
   * An escalation chain that nobody decided ends the interaction as
   * `unanswered` (breach flag, a last notification, no follow-up text).
   * Before: it ended as `resolved`.
   */
  unanswered: 'escalation-unanswered',
  /**
   * Posts in a thread by one of our accounts are the brand answering; posts by
   * third parties are recorded only. Before: every later post was the
   * customer's reply.
   */
  threadAuthors: 'thread-post-authors',
  /**
   * Automatic replies obey the pause switch: the publish activity refuses
   * them while publishing is paused and they wait for a lead (held.ts).
   * Before: every automatic reply was published.
   */
  pauseSwitch: 'pause-switch',
  /**
   * A reply its channel refuses as too long (ReplyTooLong) is recorded and
   * handed to the owning team; the steps after it run. Before: the plan failed
   * there (`step.failed`).
   */
  replyTooLong: 'reply-too-long-to-human',
  /** A customer message on a channel with a reply window opens it as a timer. Before: no such timer. */
  replyWindow: 'reply-window',
  /**
   * Two changes of one release under one patch id: each patch id costs a run
   * a marker and a TemporalChangeVersion upsert, and these two go together.
   * `assessPost` runs as a local activity, in the worker that runs the
   * workflow task: no activity task round trip through the server, one
   * workflow task and several events fewer per post. And within one workflow
   * task, every search-attribute upsert is merged into one command and every
   * memo upsert into one, later values winning (coalesce-upserts.ts).
   * Before: a normal activity, one command per upsert call. Asked once, when
   * a run starts, so a run keeps one behaviour from its first to its last
   * workflow task.
   */
  localAssessCoalescedUpserts: 'assess-local-coalesce-upserts',
  /**
   * A plan decided by a crisis overlay puts its crisis id and overlay version
   * in the memo (lists show it). Before: only the timeline recorded them.
   */
  crisisOverlay: 'crisis-overlay-memo',
} as const;
