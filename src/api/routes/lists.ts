// Lists from Temporal visibility (search attributes + memo): interactions,
// newest first and paginated, and a customer's profile. No second database.
// One row per interaction: the runs an interaction continued as new from are
// left out (the run they continued into carries on), and a thread that
// closed and was reopened by a new post is listed once per page, by its
// newest run (visibility cannot group; the customer profile reads all pages
// and counts it once).
import { createHash } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import type { InteractionStatus, InteractionSummary } from '../../workflows/definitions';
import { workflowUiLink } from '../../client/ui-links';
import { and, canMatch, vq, type VisibilityQuery } from '../../client/visibility-query';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem, type FieldError } from '../http/problem';
import type { InteractionList, InteractionListItem } from '../types.generated';
import { INTERACTION_STATUSES } from '../../workflows/definitions';

const STATUSES: readonly string[] = INTERACTION_STATUSES;
const POLICY = /^[a-z0-9][a-z0-9-]{0,99}$/u;
/** RFC 3339, as visibility reads it; Date.parse alone takes years like -271821. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/iu;
const UNMATCHABLE_MESSAGE = 'must not hold backslashes, double quotes or control characters';

/** Interactions: every run of the workflow type but those that continued as new. */
const INTERACTIONS = vq`WorkflowType = 'interaction' AND ExecutionStatus != 'ContinuedAsNew'`;

export function listHandlers(deps: AppDeps): Pick<RouteHandlers, 'listInteractions' | 'getCustomer'> {
  return { listInteractions: listInteractions(deps), getCustomer: getCustomer(deps) };
}

function listInteractions(deps: AppDeps): RouteHandlers['listInteractions'] {
  return async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const errors: FieldError[] = [];
    const clauses: VisibilityQuery[] = [INTERACTIONS];
    const str = (name: string): string | undefined => {
      const v = q[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v.length === 0 || v.length > 4000) {
        errors.push({ field: name, message: 'must be given once, 1 to 4000 characters' });
        return undefined;
      }
      return v;
    };
    const customer = str('customer');
    if (customer !== undefined && (customer.length > 400 || !canMatch(customer)))
      errors.push({ field: 'customer', message: `must be <channel>:<author> of at most 400 characters and ${UNMATCHABLE_MESSAGE}` });
    else if (customer !== undefined) clauses.push(vq`HearkenCustomer = ${customer}`);
    const status = str('status');
    if (status !== undefined && !STATUSES.includes(status))
      errors.push({ field: 'status', message: `must be one of ${STATUSES.join(', ')}` });
    else if (status !== undefined) clauses.push(vq`HearkenStatus = ${status}`);
    const policy = str('policy');
    if (policy !== undefined && !POLICY.test(policy)) errors.push({ field: 'policy', message: 'must be a policy id' });
    else if (policy !== undefined) clauses.push(vq`HearkenPolicy = ${policy}`);
    const breached = str('breached');
    if (breached !== undefined && breached !== 'true' && breached !== 'false')
      errors.push({ field: 'breached', message: 'must be true or false' });
    else if (breached === 'true') clauses.push(vq`HearkenBreached = true`);
    else if (breached === 'false') clauses.push(vq`HearkenBreached = false OR HearkenBreached IS NULL`);
    const since = str('since');
    if (since !== undefined && (!INSTANT.test(since) || Number.isNaN(Date.parse(since))))
      errors.push({ field: 'since', message: 'must be an RFC 3339 instant, like 2026-11-01T00:00:00Z' });
    else if (since !== undefined) clauses.push(vq`StartTime >= ${new Date(since)}`);
    const limitRaw = str('limit');
    const limit = limitRaw === undefined ? 50 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      errors.push({ field: 'limit', message: 'must be a whole number from 1 to 500' });
    const pageTokenText = str('pageToken');
    if (errors.length) throw invalidQuery(errors);
    const query = and(...clauses).text;
    let pageToken: Uint8Array | undefined;
    if (pageTokenText !== undefined) {
      pageToken = openPageToken(query, pageTokenText) ?? undefined;
      if (!pageToken) throw invalidQuery([{ field: 'pageToken', message: 'not the nextPageToken of a page of this list (same filters)' }]);
    }
    const page = await listPage(deps, query, limit, pageToken);
    res.json({
      interactions: page.interactions,
      nextPageToken: page.nextPageToken ? sealPageToken(query, page.nextPageToken) : null,
    } satisfies InteractionList);
  };
}

function invalidQuery(errors: FieldError[]): HttpProblem {
  return new HttpProblem(422, 'Invalid query', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

// Page tokens: Temporal's token, sealed to the query it pages through. A
// token that is not one (AAAA, or one of another filter) is refused here,
// before Temporal sees it: Temporal's SQL visibility answers a forged token
// with UNKNOWN, which its client retries for ~20 s (measured) before failing.
// The seal is a checksum, not a secret: a forged seal still reaches Temporal,
// where it ends at the request's deadline (503).
const SEAL_BYTES = 8;

function seal(query: string): Buffer {
  return createHash('sha256').update(query).digest().subarray(0, SEAL_BYTES);
}

function sealPageToken(query: string, token: Uint8Array): string {
  return Buffer.concat([seal(query), token]).toString('base64url');
}

function openPageToken(query: string, text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/u.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length <= SEAL_BYTES || !bytes.subarray(0, SEAL_BYTES).equals(seal(query))) return null;
  return bytes.subarray(SEAL_BYTES);
}

function getCustomer(deps: AppDeps): RouteHandlers['getCustomer'] {
  return async (req, res) => {
    const channel = String(req.params.channel);
    const authorId = String(req.params.authorId);
    const customer = `${channel}:${authorId}`;
    if (customer.length > 400 || !canMatch(customer))
      throw new HttpProblem(400, 'Invalid customer', `channel and authorId ${UNMATCHABLE_MESSAGE}`, [
        { field: 'authorId', message: UNMATCHABLE_MESSAGE },
      ]);
    const query = and(INTERACTIONS, vq`HearkenCustomer = ${customer}`).text;
    const interactions: InteractionListItem[] = [];
    const seen = new Set<string>();
    let token: Uint8Array | undefined;
    do {
      const page = await listPage(deps, query, 500, token);
      for (const i of page.interactions) {
        if (seen.has(i.interactionId)) continue;
        seen.add(i.interactionId);
        interactions.push(i);
      }
      token = page.nextPageToken ?? undefined;
    } while (token && interactions.length < 5000);
    if (interactions.length === 0) throw new HttpProblem(404, 'Customer not found', `no interactions with ${customer}`);
    const perPolicy: Record<string, number> = {};
    const perStatus: Record<string, number> = {};
    let met = 0;
    let breachedCount = 0;
    for (const i of interactions) {
      const p = i.policy ?? '(none)';
      perPolicy[p] = (perPolicy[p] ?? 0) + 1;
      const s = i.status ?? 'unknown';
      perStatus[s] = (perStatus[s] ?? 0) + 1;
      met += i.summary?.commitments.met ?? 0;
      breachedCount += i.summary?.commitments.breached ?? 0;
    }
    const latest = interactions.find((i) => i.summary?.sentiment);
    res.json({
      customer: { channel, authorId },
      interactions: interactions.length,
      perPolicy,
      perStatus,
      lastSentiment: latest?.summary?.sentiment ?? null,
      commitments: { met, breached: breachedCount },
      recent: interactions.slice(0, 50),
    });
  };
}

/** One page of visibility, one row per interaction (its newest run on the page). */
async function listPage(
  deps: Pick<AppDeps, 'client' | 'namespace' | 'uiBaseUrl'>,
  query: string,
  pageSize: number,
  pageToken?: Uint8Array,
): Promise<{ interactions: InteractionListItem[]; nextPageToken: Uint8Array | null }> {
  const res = await deps.client.workflowService.listWorkflowExecutions({
    namespace: deps.namespace,
    query,
    pageSize,
    ...(pageToken ? { nextPageToken: pageToken } : {}),
  });
  const seen = new Set<string>();
  const interactions: InteractionListItem[] = [];
  for (const e of res.executions ?? []) {
    const item = toItem(deps, e);
    if (seen.has(item.interactionId)) continue;
    seen.add(item.interactionId);
    interactions.push(item);
  }
  return { interactions, nextPageToken: res.nextPageToken?.length ? res.nextPageToken : null };
}

function attr(e: temporal.api.workflow.v1.IWorkflowExecutionInfo, name: string): unknown {
  const p = e.searchAttributes?.indexedFields?.[name];
  if (!p) return undefined;
  const v = defaultPayloadConverter.fromPayload(p as never);
  // Keyword attributes come back as a one-element list from some servers.
  return Array.isArray(v) ? v[0] : v;
}

function toItem(deps: Pick<AppDeps, 'uiBaseUrl' | 'namespace'>, e: temporal.api.workflow.v1.IWorkflowExecutionInfo): InteractionListItem {
  const id = e.execution?.workflowId ?? '';
  const memo = e.memo?.fields?.summary;
  return {
    interactionId: id,
    runId: e.execution?.runId ?? '',
    startedAt: optionalTsToDate(e.startTime)?.toISOString() ?? null,
    closedAt: optionalTsToDate(e.closeTime)?.toISOString() ?? null,
    status: (attr(e, 'HearkenStatus') as InteractionStatus | undefined) ?? null,
    policy: (attr(e, 'HearkenPolicy') as string | undefined) ?? null,
    customer: (attr(e, 'HearkenCustomer') as string | undefined) ?? null,
    breached: attr(e, 'HearkenBreached') === true,
    summary: memo ? (defaultPayloadConverter.fromPayload(memo as never) as InteractionSummary) : null,
    links: { interaction: `/v1/interactions/${encodeURIComponent(id)}`, temporalUi: workflowUiLink(deps, id) ?? null },
  };
}
