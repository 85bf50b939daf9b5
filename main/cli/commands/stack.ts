import { homedir } from 'node:os';
import { lstat, readlink, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, type RegisterCommand } from '../command';
import { stackDown, stackStatus, stackUp, type StackStatus } from '../../stack/stack';

const defaultHome = (): string => process.env.SLUICE_HOME || resolve(homedir(), '.sluice');

/** Compact table: one line per service; "not answering" = our process is alive but its port is closed. */
export function formatStatus(status: StackStatus): string {
  const rows = status.services.map((s) => [
    s.name,
    s.state === 'stopped' && s.pid !== null ? 'not answering' : s.state,
    s.pid === null ? '-' : String(s.pid),
    s.url ?? '-',
  ]);
  const all = [['SERVICE', 'STATE', 'PID', 'URL'], ...rows];
  const widths = [0, 1, 2].map((i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return [`stack home: ${status.home}`, ...all.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  '))].join('\n');
}

async function run(action: () => Promise<StackStatus>, json: boolean): Promise<void> {
  let status: StackStatus;
  try {
    status = await action();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  // JSON goes to stdout alone (machine-readable, includes credentials in `endpoints`); progress went to stderr.
  process.stdout.write(json ? JSON.stringify(status, null, 2) + '\n' : formatStatus(status) + '\n');
}

/**
 * Deletes `<home>/stack` and, as root, the Postgres cluster it links to under /var/lib/sluice (see
 * main/stack/postgres.ts), so throw-away stacks (tests, demos) leave nothing behind.
 */
async function purgeStackData(home: string): Promise<void> {
  const stackDir = resolve(home, 'stack');
  const status = await stackStatus({ home });
  if (status.services.some((s) => s.state === 'running')) throw new CliError('Not purging: some stack services still run; run `sluice stack down` first.');
  const link = resolve(stackDir, 'postgres', 'data');
  const target = await lstat(link).then((st) => (st.isSymbolicLink() ? readlink(link) : null), () => null);
  if (target) await rm(resolve(dirname(link), target), { recursive: true, force: true });
  await rm(stackDir, { recursive: true, force: true });
}

export const register: RegisterCommand = (program: Command) => {
  const stack = program.command('stack').description('Run the local Postgres, RabbitMQ and Redis (loopback only, private data dirs)');
  const common = (cmd: Command): Command =>
    cmd.option('--home <dir>', 'Sluice home directory (default: $SLUICE_HOME or ~/.sluice)').option('--quiet', 'no progress lines on stderr');
  const opts = (o: { home?: string; quiet?: boolean }): { home: string; log: (line: string) => void } => ({
    home: resolve(o.home ?? defaultHome()),
    log: o.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`),
  });

  common(stack.command('up').description('Start every service not already running or set by *_URL env vars'))
    .option('--json', 'print the StackStatus as JSON (with connection URLs)')
    .action(async (o: { home?: string; quiet?: boolean; json?: boolean }) => {
      const started = Date.now();
      await run(() => stackUp(opts(o)), Boolean(o.json));
      if (!o.quiet) process.stderr.write(`stack up took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    });
  common(stack.command('down').description('Stop the servers `stack up` started (by recorded PID) and wait for them to exit'))
    .option('--purge', 'also delete the stack data (databases, queues) once stopped')
    .action(async (o: { home?: string; quiet?: boolean; purge?: boolean }) => {
      await run(() => stackDown(opts(o)), false);
      if (o.purge) await purgeStackData(opts(o).home);
    });
  common(stack.command('status').description('Show each service: running / stopped / external, PID, URL (password hidden)'))
    .option('--json', 'print the StackStatus as JSON (with connection URLs)')
    .action(async (o: { home?: string; quiet?: boolean; json?: boolean }) => run(() => stackStatus(opts(o)), Boolean(o.json)));
};
