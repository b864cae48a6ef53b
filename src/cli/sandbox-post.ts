// `hearken sandbox post --as customer "text"`: posts on the sandbox's local
// network (npm run sandbox, which wrote $HEARKEN_DATA_DIR/sandbox.json) as
// one of its accounts, with mention and link facets on Bluesky; with --wait,
// waits for the other account's reply in the thread and prints it with the
// time it took.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AtpAgent, RichText, type AppBskyFeedPost } from '@atproto/api';
import { createRestAPIClient } from 'masto';
import { CliError, EXIT } from './errors';
import { cliSettings } from './settings';

interface SandboxFile {
  bluesky: { service: string; brand: { handle: string; password: string }; customer: { handle: string; password: string } };
  mastodon: { api: string; brand: { acct: string; token: string }; customer: { acct: string; token: string } } | null;
}

export interface SandboxPostOptions {
  as: string;
  mastodon?: boolean;
  wait?: boolean;
  timeout?: string;
}

function readSandbox(): SandboxFile {
  const { dataDir } = cliSettings(['dataDir']);
  const file = path.join(dataDir, 'sandbox.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SandboxFile;
  } catch {
    throw new CliError(`no sandbox at ${file}: start one with npm run sandbox (same HEARKEN_DATA_DIR)`, EXIT.failed);
  }
}

export async function sandboxPost(text: string, opts: SandboxPostOptions): Promise<number> {
  if (opts.as !== 'customer' && opts.as !== 'brand') throw new CliError('--as must be customer or brand', EXIT.usage);
  const as = opts.as;
  const other = as === 'customer' ? 'brand' : 'customer';
  const sandbox = readSandbox();
  const timeoutMs = Number(opts.timeout ?? 30) * 1000;
  const t0 = Date.now();
  if (opts.mastodon) {
    if (!sandbox.mastodon) throw new CliError('the sandbox runs without mastodon-mock', EXIT.failed);
    const me = createRestAPIClient({ url: sandbox.mastodon.api, accessToken: sandbox.mastodon[as].token });
    const them = createRestAPIClient({ url: sandbox.mastodon.api, accessToken: sandbox.mastodon[other].token });
    const status = await me.v1.statuses.create({ status: text, visibility: 'public' });
    process.stdout.write(`posted as @${sandbox.mastodon[as].acct}: ${status.url ?? status.id}\n`);
    if (!opts.wait) return EXIT.ok;
    const them0 = await them.v1.accounts.verifyCredentials();
    while (Date.now() - t0 < timeoutMs) {
      const replies = (await them.v1.accounts.$select(them0.id).statuses.list({ limit: 20 })).filter((s) => s.inReplyToId === status.id);
      if (replies[0]) {
        process.stdout.write(
          `@${sandbox.mastodon[other].acct} replied after ${Date.now() - t0} ms: ${replies[0].content.replace(/<[^>]*>/gu, '')}\n`,
        );
        return EXIT.ok;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } else {
    const me = new AtpAgent({ service: sandbox.bluesky.service });
    await me.login({ identifier: sandbox.bluesky[as].handle, password: sandbox.bluesky[as].password });
    const rt = new RichText({ text });
    await rt.detectFacets(me);
    const posted = await me.post({ text: rt.text, ...(rt.facets ? { facets: rt.facets } : {}) });
    process.stdout.write(`posted as @${sandbox.bluesky[as].handle}: ${posted.uri}\n`);
    if (!opts.wait) return EXIT.ok;
    const otherDid = (await me.com.atproto.identity.resolveHandle({ handle: sandbox.bluesky[other].handle })).data.did;
    while (Date.now() - t0 < timeoutMs) {
      const records = await me.com.atproto.repo.listRecords({ repo: otherDid, collection: 'app.bsky.feed.post', limit: 30 });
      const reply = records.data.records.find((r) => (r.value as AppBskyFeedPost.Main).reply?.parent.uri === posted.uri);
      if (reply) {
        process.stdout.write(
          `@${sandbox.bluesky[other].handle} replied after ${Date.now() - t0} ms: ${(reply.value as AppBskyFeedPost.Main).text}\n`,
        );
        return EXIT.ok;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  process.stderr.write(`no reply within ${timeoutMs / 1000} s (is the sandbox running? GET /v1/channels shows its listeners)\n`);
  return EXIT.failed;
}
