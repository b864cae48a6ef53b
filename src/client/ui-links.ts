// Deep links into the Temporal UI, built in one place: the API's `links`, team
// notifications and the CLI all point at the same page for an interaction.

export interface UiLinkTarget {
  /** The Temporal UI's base URL (e.g. http://127.0.0.1:8233); unset when unknown. */
  uiBaseUrl?: string | undefined;
  namespace: string;
}

/** The UI page of one interaction's workflow, or undefined when no UI is known. */
export function workflowUiLink(target: UiLinkTarget, workflowId: string): string | undefined {
  if (!target.uiBaseUrl) return undefined;
  const base = target.uiBaseUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(target.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
