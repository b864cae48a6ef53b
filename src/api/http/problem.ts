// RFC 9457 problem+json: every error the API returns has this shape, with
// the fields at fault in `errors` so a client can point at them.
import type { ErrorRequestHandler, Response } from 'express';
import {
  isGrpcServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType } from '../../shared/errors';

/** Seconds a client is asked to wait before retrying a request Temporal did not answer. */
export const RETRY_AFTER_SECONDS = 5;

export interface FieldError {
  field: string;
  message: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

/** 503 with Retry-After: Temporal did not answer in time, or is unreachable. */
export function unavailable(detail: string, extra: Record<string, unknown> = {}): HttpProblem {
  return new HttpProblem(503, 'Service Unavailable', detail, undefined, extra, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
}

export function sendProblem(res: Response, p: HttpProblem, instance?: string): void {
  for (const [name, value] of Object.entries(p.headers)) res.setHeader(name, value);
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      title: p.title,
      status: p.status,
      ...(p.detail ? { detail: p.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(p.errors ? { errors: p.errors } : {}),
      ...p.extra,
    });
}

/** Maps domain and Temporal errors to statuses; anything unknown is a 500 with no internals leaked. */
export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string };
  // express.json() body errors: malformed JSON, too large, bad charset.
  // A path with broken percent-encoding (/v1/interactions/%C0%AF) fails in the router.
  if (err instanceof URIError) return new HttpProblem(400, 'Malformed URL', 'the request path is not valid percent-encoding');
  if (e?.type === 'entity.parse.failed') return new HttpProblem(400, 'Malformed JSON', 'the request body is not valid JSON');
  if (e?.type === 'entity.too.large') return new HttpProblem(413, 'Request body too large', e.message);
  if (e?.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return new HttpProblem(e.status, e.message ?? 'Bad request');
  const outage = temporalOutage(err);
  if (outage) return unavailable(`${outage}; retry in ${RETRY_AFTER_SECONDS} s`);
  if (err instanceof WorkflowNotFoundError) return new HttpProblem(404, 'Interaction not found', err.message);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const cause = err.cause;
    switch (cause.type) {
      case ErrorType.NothingPending:
      case ErrorType.AlreadyDecided:
      case ErrorType.EscalationMoved:
      case ErrorType.NothingPaused:
      case ErrorType.NothingHeld:
      case ErrorType.InteractionClosed:
        return new HttpProblem(409, 'Conflict', cause.message);
      case ErrorType.InvalidAgentInput: {
        const [field, ...rest] = cause.message.split(': ');
        return new HttpProblem(422, 'Invalid request body', cause.message, [{ field: field ?? 'text', message: rest.join(': ') }]);
      }
      case ErrorType.CrisisSettled:
        return new HttpProblem(409, 'Conflict', cause.message);
      case ErrorType.NoSuchCrisis:
        return new HttpProblem(404, 'Crisis not found', cause.message);
      case ErrorType.NotAllowed:
        return new HttpProblem(403, 'Forbidden', cause.message);
      case ErrorType.InvalidDecision: {
        const [field, ...rest] = cause.message.split(': ');
        return new HttpProblem(
          422,
          'Invalid decision',
          cause.message,
          rest.length ? [{ field: field ?? '', message: rest.join(': ') }] : undefined,
        );
      }
      default:
        return new HttpProblem(422, 'Rejected by the interaction', cause.message);
    }
  }
  return new HttpProblem(500, 'Internal Server Error', 'an unexpected error occurred; it has been logged');
}

/** gRPC codes that mean "Temporal did not answer", not "Temporal said no". */
const OUTAGE_CODES: Record<number, string> = {
  1: 'the call to Temporal was cancelled', // CANCELLED: the channel went away under it
  4: 'Temporal did not answer in time', // DEADLINE_EXCEEDED: the request's deadline (http/deadline.ts)
  8: 'Temporal is overloaded', // RESOURCE_EXHAUSTED
  14: 'Temporal is unreachable', // UNAVAILABLE
};

/**
 * Why, when `err` (or an error it wraps: the client wraps gRPC errors in
 * ServiceError and friends) says Temporal did not answer; null otherwise.
 */
export function temporalOutage(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return OUTAGE_CODES[4]!;
    if (isGrpcServiceError(e) && OUTAGE_CODES[e.code]) return OUTAGE_CODES[e.code]!;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export function problemMiddleware(
  log: (err: unknown, req: { method: string; url: string }, problem: HttpProblem) => void,
): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const p = toProblem(err);
    if (p.status >= 500) log(err, req, p);
    sendProblem(res, p, req.originalUrl);
  };
}
