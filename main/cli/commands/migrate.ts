import { loadConfig } from '../../engine/config';
import { migratePostgres } from '../../migrate/postgres';
import { CliError, type RegisterCommand } from '../command';
import { withLocalStack } from '../endpoints';

export const register: RegisterCommand = (program) => {
  program
    .command('migrate')
    .description('apply pending Postgres migrations (DATABASE_URL, or the running local stack)')
    .action(async () => {
      const config = await withLocalStack(loadConfig());
      if (!config.databaseUrl) throw new CliError('No database: set DATABASE_URL or start the local stack with `sluice stack up`.');
      const result = await migratePostgres(config.databaseUrl, { log: (line) => console.log(line) });
      console.log(
        result.applied.length === 0
          ? `Schema up to date (${result.alreadyApplied} migrations applied earlier).`
          : `Applied ${result.applied.length} migration(s); ${result.alreadyApplied + result.applied.length} in total.`,
      );
    });
};
