// Exit codes and the error for user mistakes. Kept free of heavy imports:
// main.ts loads it before knowing which command runs.
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A user mistake (missing file, bad JSON, a pack that does not load): message only, no stack. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    /** Lines printed before the message (pack errors, one per line). */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
