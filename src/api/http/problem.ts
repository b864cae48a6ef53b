// RFC 9457 problem+json: every error the API returns has this shape, with
// the fields at fault in `errors` so a client can point at them.
import type { ErrorRequestHandler, Response } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType } from '../../shared/errors';

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
  ) {
    super(detail ?? title);
  }
}

export function sendProblem(res: Response, p: HttpProblem, instance?: string): void {
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
  if (err instanceof WorkflowNotFoundError) return new HttpProblem(404, 'Interaction not found', err.message);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const cause = err.cause;
    switch (cause.type) {
      case ErrorType.NothingPending:
      case ErrorType.AlreadyDecided:
      case ErrorType.EscalationMoved:
      case ErrorType.NothingPaused:
      case ErrorType.NothingHeld:
        return new HttpProblem(409, 'Conflict', cause.message);
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

export function problemMiddleware(log: (err: unknown, req: { method: string; url: string }) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const p = toProblem(err);
    if (p.status >= 500) log(err, req);
    sendProblem(res, p, req.originalUrl);
  };
}
