// A real local Bluesky network for tests: PLC and PDS on SQLite from
// @atproto/dev-env (TestNetworkNoAppView; no AppView, so capture reads the
// PDS firehose). Accounts are created on it like a user would.
import { AtpAgent, RichText, type AppBskyFeedPost } from '@atproto/api';

export interface BlueskyNetwork {
  pdsUrl: string;
  /** ms from the import to a running network. */
  startMs: { import: number; network: number };
  account(handle: string, password?: string): Promise<AtpAgent>;
  close(): Promise<void>;
}

export async function startBlueskyNetwork(): Promise<BlueskyNetwork> {
  const t0 = Date.now();
  const { TestNetworkNoAppView } = await import('@atproto/dev-env');
  const t1 = Date.now();
  const net = await TestNetworkNoAppView.create({});
  const t2 = Date.now();
  return {
    pdsUrl: net.pds.url,
    startMs: { import: t1 - t0, network: t2 - t1 },
    async account(handle, password = 'hunter22') {
      const agent = new AtpAgent({ service: net.pds.url });
      await agent.createAccount({ handle, email: `${handle}@example.test`, password });
      return agent;
    },
    close: () => net.close(),
  };
}

/** Posts `text` as `agent`, with mention and link facets, optionally as a reply. */
export async function postAs(
  agent: AtpAgent,
  text: string,
  reply?: AppBskyFeedPost.ReplyRef,
): Promise<{ uri: string; cid: string; id: string }> {
  const rt = new RichText({ text });
  await rt.detectFacets(agent);
  const res = await agent.post({ text: rt.text, ...(rt.facets ? { facets: rt.facets } : {}), ...(reply ? { reply } : {}) });
  const m = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/u.exec(res.uri)!;
  return { uri: res.uri, cid: res.cid, id: `${m[1]}~${m[2]}` };
}

export interface RepoPost {
  uri: string;
  cid: string;
  text: string;
  parent?: string;
  root?: string;
  facets: unknown[];
}

/** The posts in `did`'s repo, oldest first. */
export async function postsOf(agent: AtpAgent, did: string): Promise<RepoPost[]> {
  const res = await agent.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.post', limit: 100 });
  return res.data.records
    .map((r) => {
      const v = r.value as AppBskyFeedPost.Main;
      return {
        uri: r.uri,
        cid: r.cid,
        text: v.text,
        ...(v.reply ? { parent: v.reply.parent.uri, root: v.reply.root.uri } : {}),
        facets: v.facets ?? [],
      };
    })
    .reverse();
}
