// Error type strings, listed once: workflow failures, activity failures and
// the API's error mapper all match on these.
export const ErrorType = {
  EmptyReply: 'EmptyReply',
  NothingPending: 'NothingPending',
  AlreadyDecided: 'AlreadyDecided',
  EscalationMoved: 'EscalationMoved',
  InvalidDecision: 'InvalidDecision',
  PackInvalid: 'PackInvalid',
} as const;

export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];
