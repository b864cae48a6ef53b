// `hearken`: the policy author's and operator's command line (DESIGN.md
// "CLI"). Exit codes: 0 ok, 1 a check failed or the input was bad, 2 usage.
// User mistakes print one readable message; only bugs print a stack.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './common';
import { registerCheck } from './policy-check';
import { registerExplain } from './policy-explain';
import { registerSimulate } from './policy-simulate';
import { registerTest } from './policy-test';
import { registerTriage } from './triage';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function buildProgram(): Command {
  const program = new Command('hearken')
    .description('Hearken policy tools: check, explain, test and simulate policy packs; triage posts')
    .version(packageVersion())
    // Settings made before .command() are inherited by every subcommand.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');

  const policy = program.command('policy').description('work with a policy pack');
  registerCheck(policy);
  registerExplain(policy);
  registerTest(policy);
  registerSimulate(policy);
  registerTriage(program);
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
