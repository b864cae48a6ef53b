// `hearken pause`, `hearken resume`, `hearken controls`: the pause switch
// from a shell (README "Pause switch"). The result goes to stdout as JSON, a
// sentence for people to stderr.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { pausePublishing, readControls, resumePublishing } from '../client/controls';
import { scopeFrom, type PauseScope } from '../shared/controls';
import { CliError, EXIT } from './errors';
import { printJson } from './common';
import { connectTemporal, operator, withWorker } from './temporal-client';

export interface ScopeOptions {
  channel?: string;
  account?: string;
  address?: string;
  by?: string;
  note?: string;
}

export async function pause(opts: ScopeOptions): Promise<number> {
  const scope = scopeOf(opts);
  const t = await connectTemporal(opts.address);
  try {
    const result = await withWorker(t, () =>
      refused(pausePublishing(t.client, t.taskQueue, { scope, actor: operator(opts.by), ...(opts.note ? { note: opts.note } : {}) })),
    );
    const p = result.pause;
    process.stderr.write(
      result.alreadyPaused
        ? `${p.key} was paused already (since ${p.since}, by ${p.by.name})\n`
        : `paused ${p.key} (${p.id}): automatic replies it covers now wait for a lead; every worker obeys within seconds\n`,
    );
    printJson(result);
    return EXIT.ok;
  } finally {
    await t.close();
  }
}

export async function resume(opts: ScopeOptions & { release?: boolean; discard?: boolean; all?: boolean }): Promise<number> {
  if (opts.release === opts.discard) throw new CliError('say what becomes of the replies that waited: --release or --discard', EXIT.usage);
  if (opts.all && (opts.channel !== undefined || opts.account !== undefined)) {
    throw new CliError('--all resumes every pause: leave out --channel and --account', EXIT.usage);
  }
  const scope = opts.all ? undefined : scopeOf(opts);
  const decision = opts.release ? 'release' : 'discard';
  const t = await connectTemporal(opts.address);
  try {
    const result = await withWorker(t, () =>
      refused(
        resumePublishing(t.client, t.taskQueue, {
          decision,
          actor: operator(opts.by),
          ...(scope ? { scope } : { all: true }),
          ...(opts.note ? { note: opts.note } : {}),
        }),
      ),
    );
    for (const r of result.resumed) {
      process.stderr.write(
        `resumed ${r.pause.key} (${r.pause.id}): ${decision === 'release' ? 'releasing' : 'discarding'} what waited in ${r.interactions} interaction${r.interactions === 1 ? '' : 's'}\n`,
      );
    }
    printJson(result);
    return EXIT.ok;
  } finally {
    await t.close();
  }
}

export async function showControls(opts: { address?: string }): Promise<number> {
  const t = await connectTemporal(opts.address);
  try {
    const view = await withWorker(t, () => readControls(t.client));
    printJson({ paused: view.pauses.length > 0, ...view });
    return EXIT.ok;
  } finally {
    await t.close();
  }
}

function scopeOf(opts: ScopeOptions): PauseScope {
  const scope = scopeFrom({
    ...(opts.channel !== undefined ? { channel: opts.channel } : {}),
    ...(opts.account !== undefined ? { account: opts.account } : {}),
  });
  if (typeof scope === 'string') throw new CliError(scope.replace(/^(channel|account):/u, '--$1:'), EXIT.usage);
  return scope;
}

/** A refusal by the switch's validator (nothing paused, a bad scope) is the operator's to read, not a stack trace. */
async function refused<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw new CliError(err.cause.message);
    throw err;
  }
}
