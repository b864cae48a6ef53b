// `npm run sandbox`: Hearken wired to a local Bluesky network (PLC + PDS
// from @atproto/dev-env) and, when it is installed, to mastodon-mock, each
// with a brand account and a customer account. The default policy pack is
// copied with accounts.yaml connecting the two brand accounts. Writes
// $HEARKEN_DATA_DIR/sandbox.json with every URL and credential, and prints
// how to post as the customer. Everything stops on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtpAgent } from '@atproto/api';
import { loadConfig } from '../src/runtime/config';
import { createLogger } from '../src/runtime/logger';
import { startService } from '../src/runtime/service';
import { pickFreePort } from '../src/runtime/temporal/ports';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MOCK = path.join(ROOT, '.tools/bin/mastodon-mock');

export interface SandboxFile {
  api: string;
  temporalUi: string | null;
  bluesky: { service: string; brand: { handle: string; password: string }; customer: { handle: string; password: string } };
  mastodon: { api: string; brand: { acct: string; token: string }; customer: { acct: string; token: string } } | null;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const base = loadConfig();
  fs.mkdirSync(base.dataDir, { recursive: true });
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  // Bluesky: a real local network.
  const { TestNetworkNoAppView } = await import('@atproto/dev-env');
  const net = await TestNetworkNoAppView.create({});
  stops.push(() => net.close());
  const password = () => randomBytes(12).toString('base64url');
  const bsky = { brand: { handle: 'brand.test', password: password() }, customer: { handle: 'customer.test', password: password() } };
  for (const who of [bsky.brand, bsky.customer]) {
    await new AtpAgent({ service: net.pds.url }).createAccount({
      handle: who.handle,
      email: `${who.handle}@example.test`,
      password: who.password,
    });
  }

  // Mastodon: the mock, when npm install could provision it.
  let mastodon: SandboxFile['mastodon'] = null;
  if (fs.existsSync(MOCK)) {
    const port = await pickFreePort();
    const proc: ChildProcess = spawn(
      MOCK,
      ['serve', '--in-memory', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'],
      {
        stdio: 'ignore',
      },
    );
    stops.push(async () => proc.kill('SIGTERM'));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600; i++) {
      if (
        await fetch(`${url}/api/v1/instance`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const user = async (username: string) => {
      const res = await fetch(`${url}/api/v1/_mock/dev_user`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username }),
      });
      const u = (await res.json()) as { username: string; access_token: string };
      return { acct: u.username, token: u.access_token };
    };
    mastodon = { api: url, brand: await user('brand'), customer: await user('customer') };
  } else {
    console.log('(mastodon-mock is not installed: the sandbox runs Bluesky only; npm install provisions it)');
  }

  // The default pack, connected to the sandbox's brand accounts.
  const pack = path.join(base.dataDir, 'sandbox-policies');
  fs.rmSync(pack, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'policies'), pack, { recursive: true });
  process.env.HEARKEN_SANDBOX_BLUESKY_PASSWORD = bsky.brand.password;
  if (mastodon) process.env.HEARKEN_SANDBOX_MASTODON_TOKEN = mastodon.brand.token;
  fs.writeFileSync(
    path.join(pack, 'accounts.yaml'),
    [
      '# Written by npm run sandbox: the brand accounts of the local networks.',
      'accounts:',
      '  - channel: bluesky',
      '    handle: brand.test',
      `    bluesky: { service: "${net.pds.url}", password: "\${HEARKEN_SANDBOX_BLUESKY_PASSWORD}", capture: firehose }`,
      ...(mastodon
        ? [
            '  - channel: mastodon',
            '    handle: brand@sandbox.test',
            `    mastodon: { instance: "${mastodon.api}", token: "\${HEARKEN_SANDBOX_MASTODON_TOKEN}" }`,
          ]
        : []),
      'brand:',
      '  names: [Brand]',
      '',
    ].join('\n'),
  );

  const config = loadConfig({ ...process.env, HEARKEN_POLICIES_DIR: pack });
  const service = await startService({ config, logger: createLogger(config.logLevel), worker: true, api: true });
  stops.push(() => service.stop());

  const file: SandboxFile = {
    api: service.apiUrl!,
    temporalUi: service.uiBaseUrl,
    bluesky: { service: net.pds.url, ...bsky },
    mastodon,
  };
  const sandboxJson = path.join(config.dataDir, 'sandbox.json');
  fs.writeFileSync(sandboxJson, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  const token = service.createdToken ? `\n  Admin token (shown once): ${service.createdToken.token}` : '';
  console.log(
    [
      `Hearken sandbox is running (${((Date.now() - t0) / 1000).toFixed(1)} s).`,
      `  API:          ${file.api}`,
      `  Temporal UI:  ${file.temporalUi ?? '(cluster at TEMPORAL_ADDRESS)'}`,
      `  Bluesky PDS:  ${file.bluesky.service}   brand @brand.test, customer @customer.test`,
      mastodon ? `  Mastodon:     ${mastodon.api}   brand @brand, customer @customer` : null,
      `  Accounts and passwords: ${sandboxJson}${token}`,
      '',
      'Post as the customer, and watch the brand answer in the thread:',
      '  npx hearken sandbox post --as customer --wait "@brand.test my order never arrived"',
      mastodon ? '  npx hearken sandbox post --as customer --mastodon --wait "@brand my order never arrived"' : null,
      '',
      'Ctrl-C stops everything.',
    ]
      .filter((l) => l !== null)
      .join('\n'),
  );

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stopAll();
  console.log('Sandbox stopped.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
