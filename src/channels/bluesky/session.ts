// One logged-in agent per connected Bluesky account, shared by publishing
// and listening in a worker. Logging in is rate limited on Bluesky (a few
// dozen a day), so the session is kept and refreshed by the agent, not
// recreated per reply.
import { AtpAgent, XRPCError } from '@atproto/api';

export interface BlueskyAccount {
  /** Connected account id (accounts.yaml). */
  id: string;
  handle: string;
  service: string;
  identifier: string;
  password: string;
  capture: 'notifications' | 'firehose';
  /** subscribeRepos endpoint (ws/wss) for capture: firehose. */
  firehose: string;
}

export interface BlueskyDeps {
  /** The HTTP client; tests put a lossy proxy in front of the PDS with it. */
  fetch?: typeof globalThis.fetch;
}

export class BlueskySession {
  private agentPromise: Promise<AtpAgent> | null = null;
  private readonly handles = new Map<string, string | null>();

  constructor(
    readonly account: BlueskyAccount,
    private readonly deps: BlueskyDeps = {},
  ) {}

  /** The logged-in agent (logs in once; a failed login is retried on the next call). */
  agent(): Promise<AtpAgent> {
    if (!this.agentPromise) {
      const agent = new AtpAgent({ service: this.account.service, ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}) });
      this.agentPromise = agent.login({ identifier: this.account.identifier, password: this.account.password }).then(
        () => agent,
        (err: unknown) => {
          this.agentPromise = null;
          throw err;
        },
      );
    }
    return this.agentPromise;
  }

  async did(): Promise<string> {
    const agent = await this.agent();
    const did = agent.session?.did;
    if (!did) throw new Error(`bluesky account ${this.account.id}: no session after login`);
    return did;
  }

  /** A DID's handle (cached): from the PDS that hosts it, else the AppView; undefined when neither knows. */
  async handleOf(did: string): Promise<string | undefined> {
    if (this.handles.has(did)) return this.handles.get(did) ?? undefined;
    const agent = await this.agent();
    let handle: string | null = null;
    try {
      handle = (await agent.com.atproto.repo.describeRepo({ repo: did })).data.handle;
    } catch {
      if (this.account.capture === 'notifications') {
        handle = await agent.app.bsky.actor.getProfile({ actor: did }).then(
          (r) => r.data.handle,
          () => null,
        );
      }
    }
    this.handles.set(did, handle);
    return handle ?? undefined;
  }
}

/** Seconds to wait from a 429's headers (Retry-After, or ratelimit-reset as epoch seconds); null when not a rate limit. */
export function retryAfterSeconds(err: unknown, nowMs = Date.now()): number | null {
  if (!(err instanceof XRPCError) || err.status !== 429) return null;
  const h = err.headers ?? {};
  const after = Number(h['retry-after']);
  if (Number.isFinite(after) && after >= 0) return after;
  const reset = Number(h['ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - nowMs / 1000));
  return 60;
}
