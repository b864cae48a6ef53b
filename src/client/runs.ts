// The runs of one interaction as Temporal visibility lists them. An
// interaction id is whatever a connector sent (`<channel>:<threadId>`), and
// some characters cannot be compared in a visibility query (see
// visibility-query.ts): for such an id the query narrows by the longest
// prefix that can be, and the id is compared here.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { and, canMatch, prefixFor, vq, type VisibilityQuery } from './visibility-query';

/** How many rows a prefix lookup reads at most before it stops looking. */
const PREFIX_SCAN_LIMIT = 2_000;

/** Runs of `workflowId` that also satisfy `where`, in visibility's order (newest first). */
export async function* runsById(client: Client, workflowId: string, where?: VisibilityQuery): AsyncGenerator<WorkflowExecutionInfo> {
  if (canMatch(workflowId)) {
    yield* client.workflow.list({ query: and(vq`WorkflowId = ${workflowId}`, where).text });
    return;
  }
  const prefix = prefixFor(workflowId);
  const narrow = prefix ? vq`WorkflowId STARTS_WITH ${prefix}` : vq`WorkflowType = 'interaction'`;
  let scanned = 0;
  for await (const wf of client.workflow.list({ query: and(narrow, where).text })) {
    if (wf.workflowId === workflowId) yield wf;
    if (++scanned >= PREFIX_SCAN_LIMIT) return;
  }
}
