// Lists from Temporal visibility (search attributes + memo): interactions,
// newest first and paginated, and a customer's profile. No second database.
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import type { InteractionStatus, InteractionSummary } from '../../workflows/definitions';
import { workflowUiLink } from '../../client/ui-links';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem, type FieldError } from '../http/problem';
import type { InteractionList, InteractionListItem } from '../types.generated';
import { INTERACTION_STATUSES } from '../../workflows/definitions';

const STATUSES: readonly string[] = INTERACTION_STATUSES;
// Values end up inside a visibility query: allow only what ids are made of.
const SAFE = /^[^'"\\\s\p{Cc}]{1,300}$/u;
const POLICY = /^[a-z0-9][a-z0-9-]{0,99}$/u;

export function listHandlers(deps: AppDeps): Pick<RouteHandlers, 'listInteractions' | 'getCustomer'> {
  return { listInteractions: listInteractions(deps), getCustomer: getCustomer(deps) };
}

function listInteractions(deps: AppDeps): RouteHandlers['listInteractions'] {
  return async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const errors: FieldError[] = [];
    const clauses = [`WorkflowType = 'interaction'`];
    const str = (name: string): string | undefined => {
      const v = q[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || !SAFE.test(v)) {
        errors.push({ field: name, message: 'must be a single value without quotes, backslashes or spaces' });
        return undefined;
      }
      return v;
    };
    const customer = str('customer');
    if (customer) clauses.push(`HearkenCustomer = '${customer}'`);
    const status = str('status');
    if (status && !STATUSES.includes(status)) errors.push({ field: 'status', message: `must be one of ${STATUSES.join(', ')}` });
    else if (status) clauses.push(`HearkenStatus = '${status}'`);
    const policy = str('policy');
    if (policy && !POLICY.test(policy)) errors.push({ field: 'policy', message: 'must be a policy id' });
    else if (policy) clauses.push(`HearkenPolicy = '${policy}'`);
    const breached = str('breached');
    if (breached && breached !== 'true' && breached !== 'false') errors.push({ field: 'breached', message: 'must be true or false' });
    else if (breached === 'true') clauses.push('HearkenBreached = true');
    else if (breached === 'false') clauses.push('(HearkenBreached = false OR HearkenBreached IS NULL)');
    const since = str('since');
    if (since && Number.isNaN(Date.parse(since))) errors.push({ field: 'since', message: 'must be an ISO 8601 instant' });
    else if (since) clauses.push(`StartTime >= '${new Date(since).toISOString()}'`);
    const limitRaw = str('limit');
    const limit = limitRaw === undefined ? 50 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      errors.push({ field: 'limit', message: 'must be a whole number from 1 to 500' });
    const pageToken = str('pageToken');
    if (errors.length) throw new HttpProblem(422, 'Invalid query', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

    const page = await listPage(deps, clauses.join(' AND '), limit, pageToken);
    res.json(page);
  };
}

function getCustomer(deps: AppDeps): RouteHandlers['getCustomer'] {
  return async (req, res) => {
    const channel = String(req.params.channel);
    const authorId = String(req.params.authorId);
    if (!SAFE.test(channel) || !SAFE.test(authorId))
      throw new HttpProblem(400, 'Invalid customer', 'channel and authorId must be plain ids', [
        { field: 'authorId', message: 'malformed' },
      ]);
    const customer = `${channel}:${authorId}`;
    const interactions: InteractionListItem[] = [];
    let token: string | undefined;
    do {
      const page = await listPage(deps, `WorkflowType = 'interaction' AND HearkenCustomer = '${customer}'`, 500, token);
      interactions.push(...page.interactions);
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

async function listPage(
  deps: Pick<AppDeps, 'client' | 'namespace' | 'uiBaseUrl'>,
  query: string,
  pageSize: number,
  pageToken?: string,
): Promise<InteractionList> {
  const client: Client = deps.client;
  let nextPageToken: Uint8Array | undefined;
  if (pageToken) {
    try {
      nextPageToken = Buffer.from(pageToken, 'base64url');
    } catch {
      throw new HttpProblem(422, 'Invalid query', 'pageToken: not a page token', [{ field: 'pageToken', message: 'not a page token' }]);
    }
  }
  let res: temporal.api.workflowservice.v1.IListWorkflowExecutionsResponse;
  try {
    res = await client.workflowService.listWorkflowExecutions({
      namespace: deps.namespace,
      query,
      pageSize,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
  } catch (err) {
    // A forged page token is the caller's mistake, not ours.
    if (pageToken && (err as { code?: number }).code === 3)
      throw new HttpProblem(422, 'Invalid query', 'pageToken: not a page token', [{ field: 'pageToken', message: 'not a page token' }]);
    throw err;
  }
  const interactions = (res.executions ?? []).map((e) => toItem(deps, e));
  const token = res.nextPageToken && res.nextPageToken.length ? Buffer.from(res.nextPageToken).toString('base64url') : null;
  return { interactions, nextPageToken: token };
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
