// Mounts the route table on an express router: one handler per entry, no
// route outside the table. The compiler checks the handlers against it: each
// operation has exactly one, it gets the body type of the schema its entry
// validates with, and it may send only the response types its entry
// documents (types generated from the document's schemas).
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AccessControl } from '../auth';
import type { REQUEST_SCHEMAS, RouteSpec } from '../route-spec';
import { ROUTES, type OperationId, type Routes } from '../route-table';
import type { ApiComponents } from '../types.generated';
import { decisionRateLimit, type LimitStores } from './limits';
import { validateBody } from './validate';

/** `/v1/customers/{channel}/{authorId}` → `{ channel: string; authorId: string }` */
type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Record<Name, string> & PathParams<Rest>
  : Record<never, never>;

type ResponseBody<S> = S extends { json: infer C extends keyof ApiComponents }
  ? ApiComponents[C]
  : S extends { text: string }
    ? string
    : never;
type ResponsesOf<R> = R extends { responses: infer S } ? S[keyof S] : never;
type RequestBody<R> = R extends { body: { schema: infer S extends keyof typeof REQUEST_SCHEMAS } }
  ? ApiComponents[(typeof REQUEST_SCHEMAS)[S]]
  : never;

export interface RouteContext<R> {
  /** The request body, validated with the route's schema (a problem answer when it is not valid). */
  body: () => RequestBody<R>;
}

export type RouteHandler<K extends OperationId> = (
  req: Request<PathParams<Routes[K]['path']>>,
  res: Response<ResponseBody<ResponsesOf<Routes[K]>>>,
  ctx: RouteContext<Routes[K]>,
) => void | Promise<void>;

export type RouteHandlers = { [K in OperationId]: RouteHandler<K> };

/** What handlers look like to express, once their types have done their work. */
type MountedHandler = (req: Request, res: Response, ctx: { body: () => unknown }) => void | Promise<void>;

export function routeTableRouter(handlers: RouteHandlers, access: AccessControl, limitStores?: LimitStores): Router {
  const router = Router();
  for (const id of Object.keys(ROUTES) as OperationId[]) {
    const route: RouteSpec = ROUTES[id];
    const chain: RequestHandler[] = [];
    // Who may call it (and the access log), before anything reads the request further.
    const gate = access.gate({ operationId: id, path: route.path, auth: route.auth });
    if (gate) chain.push(gate);
    if (route.rateLimit === 'decision') chain.push(decisionRateLimit(undefined, limitStores));
    // Express matched the path template, so the declared params are there.
    const handler = handlers[id] as MountedHandler;
    chain.push((req, res) => handler(req, res, contextFor(id, route, req)));
    router[route.method](expressPath(route.path), ...chain);
  }
  return router;
}

function contextFor(id: OperationId, route: RouteSpec, req: Request): { body: () => unknown } {
  return {
    body: () => {
      if (!route.body) throw new Error(`${id} takes no request body`);
      return validateBody(route.body.schema, req.body, route.body.invalidStatus);
    },
  };
}

/** `/v1/interactions/{id}` → `/v1/interactions/:id` */
export function expressPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1');
}
