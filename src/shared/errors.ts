// Error type strings, listed once: workflow failures, activity failures and
// the API's error mapper all match on these.
export const ErrorType = {
  EmptyReply: 'EmptyReply',
  NothingPending: 'NothingPending',
  AlreadyDecided: 'AlreadyDecided',
  EscalationMoved: 'EscalationMoved',
  InvalidDecision: 'InvalidDecision',
  PackInvalid: 'PackInvalid',
  /** A rendered reply longer than its channel allows: never cut, handed to a human instead. */
  ReplyTooLong: 'ReplyTooLong',
  /** A policy template that does not render (an unclosed `{{`): retrying cannot help. */
  TemplateError: 'TemplateError',
  /** A team webhook that did not accept a notification (the message never contains the URL). */
  WebhookFailed: 'WebhookFailed',
  /** Resume: nothing is paused in that scope. */
  NothingPaused: 'NothingPaused',
  /** Release or discard: no reply of this interaction waits. */
  NothingHeld: 'NothingHeld',
  /** The pause switch and held replies are for leads and admins. */
  NotAllowed: 'NotAllowed',
  /** An agent reply or note for an interaction that has closed (or is closing). */
  InteractionClosed: 'InteractionClosed',
  /** An agent reply or note without text. */
  InvalidAgentInput: 'InvalidAgentInput',
  /** Acknowledge or close: the brand's pulse has no crisis with that id. */
  NoSuchCrisis: 'NoSuchCrisis',
  /** Acknowledge or close: the crisis is closed (or, to acknowledge, acknowledged already). */
  CrisisSettled: 'CrisisSettled',
} as const;

export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];
