// `hearken`: the policy author's and operator's command line (DESIGN.md
// "CLI"). Exit codes: 0 ok, 1 a check failed or the input was bad, 2 usage.
// User mistakes print one readable message; only bugs print a stack.
//
// The whole command tree is declared here; each action imports its module
// when it runs, so `--help` and usage errors answer without loading the
// pack machinery (ajv, yaml, luxon).
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './errors';

const PACK_DIR = 'the pack folder (default: $HEARKEN_POLICIES_DIR or ./policies)';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function buildProgram(): Command {
  const program = new Command('hearken')
    .description(
      "Hearken tools: check, explain, test and simulate policy packs; triage posts; export audit trails; manage API tokens; pause automatic publishing; export or erase a customer's data",
    )
    .version(packageVersion())
    // Settings made before .command() are inherited by every subcommand.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');

  const policy = program.command('policy').description('work with a policy pack');

  policy
    .command('check')
    .description('validate a policy pack: exit 0 when it loads, else one file:line:col: message line per error')
    .argument('[dir]', PACK_DIR)
    .action(async (dir: string | undefined) => {
      const { check } = await import('./policy-check');
      process.exitCode = await check(dir);
    });

  policy
    .command('explain')
    .description(
      'show how one post is triaged, which policy wins, its steps and deadlines (JSON); with --crisis, why the crisis opened and what its overlay does to the post',
    )
    .option('--post <file>', 'the normalized post as JSON (- for stdin)')
    .option('--policies <dir>', PACK_DIR)
    .option('--now <iso>', 'explain as if the post had been written at this instant (replaces its createdAt)')
    .option('--crisis <id>', "a crisis (GET /v1/crises): read from the brand's pulse in Temporal (TEMPORAL_ADDRESS)")
    .option('--topic <words>', 'with --crisis: comma-separated topic words to use instead of reading the crisis from Temporal')
    .action(async (opts: { post?: string; policies?: string; now?: string; crisis?: string; topic?: string }) => {
      const { explain } = await import('./policy-explain');
      process.exitCode = await explain(opts);
    });

  policy
    .command('test')
    .description('run every <id>.cases.yaml of a pack; exit 1 when a case fails')
    .argument('[dir]', PACK_DIR)
    .action(async (dir: string | undefined) => {
      const { runCases } = await import('./policy-test');
      process.exitCode = await runCases(dir);
    });

  policy
    .command('simulate')
    .description('triage and select a policy for many posts; counts per policy and per first step (JSON)')
    .requiredOption('--posts <file>', 'normalized posts as JSONL (- for stdin)')
    .option('--policies <dir>', PACK_DIR)
    .option('--base <ref>', 'also run the pack as it was at this git ref and show the difference')
    .action(async (opts: { posts: string; policies?: string; base?: string }) => {
      const { simulate } = await import('./policy-simulate');
      process.exitCode = await simulate(opts);
    });

  program
    .command('triage')
    .description('triage normalized posts (JSONL, one post per line) and print one JSON line per post')
    .argument('[file]', 'a JSONL file of normalized posts (default: stdin)')
    .option('--policies <dir>', `${PACK_DIR}; triage needs its accounts and brand names`)
    .action(async (file: string | undefined, opts: { policies?: string }) => {
      const { triage } = await import('./triage');
      process.exitCode = await triage(file, opts);
    });

  const audit = program.command('audit').description('audit trails of interactions');
  audit
    .command('export')
    .description('write NDJSON of all interactions closed since a time, each with its whole timeline')
    .requiredOption('--since <time>', 'ISO 8601 time, e.g. 2026-11-01T00:00:00Z')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--address <host:port>', 'Temporal frontend (default: $TEMPORAL_ADDRESS or the embedded dev server)')
    .action(async (opts: { since: string; out?: string; address?: string }) => {
      const { exportAudit } = await import('./audit-export');
      process.exitCode = await exportAudit(opts);
    });

  const ADDRESS = 'Temporal frontend (default: $TEMPORAL_ADDRESS or the embedded dev server)';
  const BY = 'who you are, for the record (default: your OS user name)';
  program
    .command('pause')
    .description(
      'pause automatic publishing (everything, or one channel or account): the replies it covers wait for a lead; every worker obeys within seconds',
    )
    .option('--channel <channel>', 'only this channel, like twitter')
    .option('--account <channel:handle>', 'only this account of ours (accounts.yaml), like twitter:sprintcare')
    .option('--note <text>', 'why; recorded with who and when')
    .option('--by <name>', BY)
    .option('--address <host:port>', ADDRESS)
    .action(async (opts: { channel?: string; account?: string; note?: string; by?: string; address?: string }) => {
      const { pause } = await import('./pause');
      process.exitCode = await pause(opts);
    });
  program
    .command('resume')
    .description('lift a pause (the global one, or --channel / --account / --all) and release or discard what waited')
    .option('--release', 'publish what waited (each checked against the pauses still in force)')
    .option('--discard', 'record what waited and send none of it')
    .option('--channel <channel>', 'the pause of this channel')
    .option('--account <channel:handle>', 'the pause of this account')
    .option('--all', 'every pause in force')
    .option('--note <text>', 'why; recorded with who and when')
    .option('--by <name>', BY)
    .option('--address <host:port>', ADDRESS)
    .action(
      async (opts: {
        release?: boolean;
        discard?: boolean;
        channel?: string;
        account?: string;
        all?: boolean;
        note?: string;
        by?: string;
        address?: string;
      }) => {
        const { resume } = await import('./pause');
        process.exitCode = await resume(opts);
      },
    );
  program
    .command('controls')
    .description('show the pause switch: the pauses in force (who, since when, how many interactions wait) and the latest changes (JSON)')
    .option('--address <host:port>', ADDRESS)
    .action(async (opts: { address?: string }) => {
      const { showControls } = await import('./pause');
      process.exitCode = await showControls(opts);
    });

  const customer = program.command('customer').description("a customer's data: erase it on request, or export all of it");
  const DATA = 'the data folder with outbox.jsonl and notifications.jsonl (default: $HEARKEN_DATA_DIR or ./data)';
  customer
    .command('forget')
    .description(
      'delete every interaction of the customer from Temporal, redact their lines in outbox.jsonl and notifications.jsonl, and record the erasure (who, when, how many)',
    )
    .argument('<channel>', 'the channel, like twitter')
    .argument('<authorId>', "the author's id (or handle, when their posts had no id)")
    .option('--dry-run', 'only list what would be erased')
    .option('--data-dir <dir>', DATA)
    .option('--by <name>', BY)
    .option('--address <host:port>', ADDRESS)
    .action(async (channel: string, authorId: string, opts: { dryRun?: boolean; dataDir?: string; by?: string; address?: string }) => {
      const { forget } = await import('./customer');
      process.exitCode = await forget(channel, authorId, opts);
    });
  customer
    .command('export')
    .description(
      'write everything held about the customer as JSON: each interaction with its runs, state and audit timeline, and their outbox and notification lines',
    )
    .argument('<channel>', 'the channel, like twitter')
    .argument('<authorId>', "the author's id (or handle, when their posts had no id)")
    .option('--out <file>', 'write to this file (mode 0600) instead of stdout')
    .option('--data-dir <dir>', DATA)
    .option('--address <host:port>', ADDRESS)
    .action(async (channel: string, authorId: string, opts: { out?: string; dataDir?: string; address?: string }) => {
      const { exportData } = await import('./customer');
      process.exitCode = await exportData(channel, authorId, opts);
    });

  const token = program
    .command('token')
    .description("API tokens: people's (viewer, agent, lead, admin per team) and connectors' (ingest); only hashes are stored");
  const FILE = 'the tokens file (default: $HEARKEN_TOKENS_FILE or $HEARKEN_DATA_DIR/tokens.yaml)';
  token
    .command('add')
    .description('create a token and print it, this once (stdout); only its sha256 is stored')
    .argument('<name>', "who holds it: a person's name (recorded as the decider) or a connector's")
    .requiredOption(
      '--role <role>',
      'viewer (reads), agent (also approves, rejects), lead (also reassigns), admin, or ingest (captures only)',
    )
    .option('--teams <a,b>', 'the teams the role applies to (default: * for every team); not for ingest')
    .option('--expires <when>', 'from now (30d, 12h, 90m, 2w) or an ISO 8601 instant; after it the token gets 401')
    .option('--file <file>', FILE)
    .action(async (name: string, opts: { role: string; teams?: string; expires?: string; file?: string }) => {
      const { addToken } = await import('./token');
      process.exitCode = await addToken(name, opts);
    });
  token
    .command('list')
    .description('name, role, teams, created, expires and last use of every token (never the token)')
    .option('--json', 'as JSON')
    .option('--file <file>', FILE)
    .action(async (opts: { json?: boolean; file?: string }) => {
      const { listTokens } = await import('./token');
      process.exitCode = await listTokens(opts);
    });
  token
    .command('revoke')
    .description('delete a token; running services refuse it within a second')
    .argument('<name>', 'the name it was added with')
    .option('--file <file>', FILE)
    .action(async (name: string, opts: { file?: string }) => {
      const { revokeToken } = await import('./token');
      process.exitCode = await revokeToken(name, opts);
    });

  const sandbox = program.command('sandbox').description('the local networks of npm run sandbox');
  sandbox
    .command('post')
    .description('post on the sandbox network as one of its accounts ($HEARKEN_DATA_DIR/sandbox.json)')
    .argument('<text>', 'the post; @brand.test (Bluesky) or @brand (Mastodon) addresses the brand')
    .option('--as <who>', 'customer or brand', 'customer')
    .option('--mastodon', 'post on the Mastodon mock instead of Bluesky')
    .option('--wait', "wait for the other account's reply in the thread and print it")
    .option('--timeout <seconds>', 'how long --wait waits', '30')
    .action(async (text: string, opts: { as: string; mastodon?: boolean; wait?: boolean; timeout?: string }) => {
      const { sandboxPost } = await import('./sandbox-post');
      process.exitCode = await sandboxPost(text, opts);
    });
  return program;
}

async function main(): Promise<void> {
  // `hearken triage big.jsonl | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw err;
  });
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander printed the message already; --help and --version exit 0.
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (err instanceof CliError) {
      for (const line of err.details) process.stderr.write(`${line}\n`);
      process.stderr.write(`hearken: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
