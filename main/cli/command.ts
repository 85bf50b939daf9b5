import type { Command } from 'commander';

/** Each CLI command lives in its own file under main/cli/commands and registers itself here. */
export type RegisterCommand = (program: Command) => void;

/** A failure the CLI reports as one clear line and a non-zero exit (no stack trace). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
