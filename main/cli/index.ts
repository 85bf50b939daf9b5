import { Command, CommanderError } from 'commander';

import { version } from '../../package.json';
import { ConfigError } from '../engine/config';
import { MigrationError } from '../../shared/lib/migration-plan';
import { CliError, type RegisterCommand } from './command';
import { register as job } from './commands/job';
import { register as migrate } from './commands/migrate';
import { register as open } from './commands/open';
import { register as raw } from './commands/raw';
import { register as serve } from './commands/serve';
import { register as sim } from './commands/sim';
import { register as stack } from './commands/stack';
import { register as start } from './commands/start';
import { register as transform } from './commands/transform';
import { register as users } from './commands/users';
import { register as worker } from './commands/worker';

/** `sluice`: one command, one file per subcommand. Failures are one line on stderr and a non-zero exit. */
const program = new Command('sluice')
  .description('Sluice: operator console and engine for the Jira/GitHub engineering-data ETL')
  .version(version)
  .showHelpAfterError('(run `sluice --help` for usage)')
  .exitOverride();

const commands: RegisterCommand[] = [start, serve, open, stack, migrate, sim, worker, transform, job, raw, users];
for (const register of commands) register(program);

const explain = (error: unknown): { message: string; code: number } => {
  if (error instanceof CliError) return { message: error.message, code: error.exitCode };
  if (error instanceof ConfigError || error instanceof MigrationError) return { message: error.message, code: 2 };
  if (error instanceof Error) return { message: error.message, code: 1 };
  return { message: String(error), code: 1 };
};

try {
  await program.parseAsync(process.argv);
  // Long-running commands resolve only after their own shutdown; close lingering handles now.
  process.exit(0);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const { message, code } = explain(error);
  process.stderr.write(`sluice: ${message}\n`);
  if (process.env['SLUICE_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  process.exit(code);
}
