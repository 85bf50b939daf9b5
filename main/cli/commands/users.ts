import { Option } from 'commander';

import { Role } from '../../../shared/contract/roles';
import { loadConfig } from '../../engine/config';
import { addUser, readUsers, removeUser, rotateUser, UsersFileError } from '../../server/users-file';
import { CliError, type RegisterCommand } from '../command';

/**
 * `sluice users add|list|rotate|remove`: the named users of `sluice serve` and their roles, in the
 * users file (SLUICE_USERS_FILE or `<home>/users.json`). A running server sees changes at once.
 * A new token is printed once, on stdout, and stored only as a hash.
 */
const roleOption = () => new Option('--role <role>', 'viewer (read-only), operator (run jobs, inspect raw) or admin (configure)').choices(Role.options);

const guarded = <A extends unknown[]>(action: (...args: A) => void) => (...args: A): void => {
  try {
    action(...args);
  } catch (error) {
    if (error instanceof UsersFileError) throw new CliError(error.message, 2);
    if (error instanceof Error && error.name === 'ZodError') throw new CliError('A user name is 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit.', 2);
    throw error;
  }
};

const printToken = (name: string, token: string): void => {
  process.stdout.write(`${token}\n`);
  process.stderr.write(`Give ${name} this token (it is not stored and will not be shown again). They sign in by opening <console URL>/auth?token=<token> once, or send it as Authorization: Bearer <token>.\n`);
};

export const register: RegisterCommand = (program) => {
  const users = program.command('users').description('named users of `sluice serve` with roles (viewer, operator, admin)');
  const file = () => loadConfig().usersFile;

  users
    .command('add <name>')
    .description('add a user and print their token')
    .addOption(roleOption().default('viewer'))
    .action(guarded((name: string, opts: { role: Role }) => printToken(name, addUser(file(), name, opts.role).token)));

  users
    .command('list')
    .description('list users and roles (never tokens)')
    .option('--json', 'as JSON')
    .action(guarded((opts: { json?: boolean }) => {
      const list = readUsers(file()).map(({ name, role, createdAt }) => ({ name, role, createdAt }));
      if (opts.json) return void process.stdout.write(`${JSON.stringify(list)}\n`);
      if (list.length === 0) return void process.stdout.write(`No users in ${file()}: only the server token signs in. Add one with \`sluice users add NAME --role viewer\`.\n`);
      for (const u of list) process.stdout.write(`${u.name.padEnd(24)} ${u.role.padEnd(9)} since ${u.createdAt}\n`);
    }));

  users
    .command('rotate <name>')
    .description('give a user a new token (the old one and its sessions stop working), optionally a new role')
    .addOption(roleOption())
    .action(guarded((name: string, opts: { role?: Role }) => printToken(name, rotateUser(file(), name, opts.role).token)));

  users
    .command('remove <name>')
    .description('remove a user: their token and sessions stop working at once')
    .action(guarded((name: string) => {
      removeUser(file(), name);
      process.stderr.write(`Removed ${name}.\n`);
    }));
};
