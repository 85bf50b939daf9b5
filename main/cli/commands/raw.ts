import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

import { Option } from 'commander';
import type pg from 'pg';

import { methods } from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';
import { RawStatus, type RawFilter } from '../../../shared/contract/raw';
import { loadConfig } from '../../engine/config';
import { createPool } from '../../engine/db/pool';
import { rawHandlers } from '../../engine/handlers/raw';
import { builtTaskEntry, createTaskRunner } from '../../engine/tasks';
import type { CallContext } from '../../engine/types';
import { CliError, type RegisterCommand } from '../command';
import { withLocalStack } from '../endpoints';

/**
 * `sluice raw show <id>` and `sluice raw export`: the raw inspector's own handlers (so the same
 * queries, formats and offline fallback), straight on Postgres, or on this machine's local raw cache
 * when Postgres is unreachable (then `--tenant` is needed: the cache cannot say whose units they are
 * without it). Export writes a `.sluice` bundle (NDJSON, header line first) chunk by chunk, the format `sluice transform --file` reads and `sluice open` opens.
 */

interface Cli {
  readonly pool: pg.Pool | null;
  readonly raw: ReturnType<typeof rawHandlers>;
  close(): Promise<void>;
}

const open = async (): Promise<Cli> => {
  const config = await withLocalStack(loadConfig());
  const pool = config.databaseUrl ? createPool(config.databaseUrl, 2) : null;
  const raw = rawHandlers({ pool, tasks: createTaskRunner(builtTaskEntry(import.meta.url)), databaseUrl: config.databaseUrl, cachePath: join(config.home, 'cache', 'raw-cache.sqlite'), cacheOpened: false });
  return { pool, raw, close: async () => void (await pool?.end()) };
};

const positive = (what: string) => (value: string): number => {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw new CliError(`${what} must be a positive number, got "${value}".`, 2);
  return Number(value);
};

const ctxFor = (tenantId: number): CallContext => ({ transport: 'cli', tenantId, principal: 'cli' });

/** --tenant, else the tenant of the unit / run / integration named, else the only tenant there is. */
const resolveTenant = async (cli: Cli, given: number | undefined, lookup: { unit?: number; run?: number; integration?: number }): Promise<number> => {
  if (given !== undefined) return given;
  const fail = (why: string) => new CliError(`${why}; pass --tenant N.`, 2);
  if (!cli.pool) throw fail('No database is configured, so the tenant cannot be looked up');
  try {
    const [sql, value] =
      lookup.unit !== undefined ? ['SELECT tenant_id FROM raw_extraction_data WHERE id = $1', lookup.unit] : lookup.run !== undefined ? ['SELECT tenant_id FROM runs WHERE id = $1', lookup.run] : lookup.integration !== undefined ? ['SELECT tenant_id FROM integrations WHERE id = $1', lookup.integration] : ['SELECT id AS tenant_id FROM tenants ORDER BY id LIMIT 2', null];
    const res = await cli.pool.query<{ tenant_id: number }>(sql, value === null ? [] : [value]);
    if (res.rows.length === 1) return res.rows[0]!.tenant_id;
    throw fail(res.rows.length === 0 ? 'Nothing with that id exists (or there is no tenant yet)' : 'There are several tenants');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw fail(`Postgres is unreachable (${error instanceof Error ? error.message : String(error)}), so the tenant cannot be looked up`);
  }
};

const explain = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ApiError) throw new CliError(error.message, error.code === 'not_found' ? 3 : 1);
    throw error;
  }
};

interface ExportOptions {
  tenant?: number;
  integration?: number;
  run?: number;
  step?: string;
  stream?: string;
  partition?: string;
  status?: string;
  since?: string;
  until?: string;
  text?: string;
  out?: string;
}

const filterOf = (o: ExportOptions): RawFilter => {
  const statuses = o.status?.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = statuses?.filter((s) => !RawStatus.safeParse(s).success) ?? [];
  if (bad.length > 0) throw new CliError(`--status takes ${RawStatus.options.join(', ')} (comma-separated); got ${bad.join(', ')}.`, 2);
  for (const [name, v] of [['--since', o.since], ['--until', o.until]] as const) {
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw new CliError(`${name} must be an ISO time such as 2026-01-31T00:00:00Z; got "${v}".`, 2);
  }
  const iso = (v: string | undefined) => (v === undefined ? undefined : new Date(v).toISOString());
  const filter = {
    integrationId: o.integration,
    runId: o.run,
    step: o.step,
    stream: o.stream,
    parentKey: o.partition,
    statuses: statuses && statuses.length > 0 ? (statuses as RawFilter['statuses']) : undefined,
    since: iso(o.since),
    until: iso(o.until),
    text: o.text,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as RawFilter;
};

const write = (stream: WriteStream | NodeJS.WriteStream, text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });

export const register: RegisterCommand = (program) => {
  const raw = program.command('raw').description('show a raw unit or export raw units as a .sluice bundle (Postgres, or the local cache offline)');

  raw
    .command('show <id>')
    .description('a raw unit: its metadata, then its payload (pretty JSON)')
    .option('--tenant <id>', 'the unit’s tenant (needed offline)', positive('--tenant'))
    .option('--payload', 'print only the payload, as stored')
    .action(async (idArg: string, opts: { tenant?: number; payload?: boolean }) => {
      const id = positive('the unit id')(idArg);
      const cli = await open();
      try {
        const tenantId = await resolveTenant(cli, opts.tenant, { unit: id });
        const got = await explain(() => cli.raw['raw.get']({ id }, ctxFor(tenantId)));
        if (opts.payload) {
          process.stdout.write(`${got.payload}\n`);
          return;
        }
        const u = got.unit;
        const lines = [
          `unit ${u.id}  ${u.status}  integration ${u.integrationId}  run ${u.runId}  ${u.step}/${u.stream}${u.parentKey ? ` [${u.parentKey}]` : ''}`,
          `stored ${u.createdAt}  ${u.recordCount} record(s)  ${u.payloadBytes} bytes${u.replayOf ? `  re-transform copy of unit ${u.replayOf}` : ''}`,
          `request ${u.requestUrl}`,
          ...(u.error ? [`error ${u.error.message}`] : []),
          ...(got.offline ? [`offline: ${got.offline.reason} Read from the local cache ${got.offline.cachePath}.`] : []),
        ];
        process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(JSON.parse(got.payload), null, 2)}\n`);
      } finally {
        await cli.close();
      }
    });

  raw
    .command('export')
    .description('the filtered raw units as a .sluice bundle: a header line, then one unit per line (what `sluice transform --file` reads and `sluice open` opens)')
    .option('--tenant <id>', 'the tenant (else the one the run or integration belongs to, or the only one)', positive('--tenant'))
    .option('--integration <id>', 'only this integration', positive('--integration'))
    .option('--run <id>', 'only this run', positive('--run'))
    .option('--step <key>', 'only this step')
    .option('--stream <name>', 'only this stream')
    .option('--partition <value>', 'only this partition (a project key, an issue id, a repository)')
    .addOption(new Option('--status <list>', `only these statuses, comma-separated (${RawStatus.options.join(', ')})`))
    .option('--since <iso>', 'stored at or after this time')
    .option('--until <iso>', 'stored before this time')
    .option('--text <text>', 'text in the payload')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: ExportOptions) => {
      const filter = filterOf(opts);
      const cli = await open();
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      try {
        const tenantId = await resolveTenant(cli, opts.tenant, { ...(opts.run ? { run: opts.run } : {}), ...(opts.integration ? { integration: opts.integration } : {}) });
        let cursor: string | undefined;
        let lines = 0;
        let source = 'Postgres';
        do {
          const input = methods['raw.export'].input.safeParse({ ...filter, ...(cursor ? { cursor } : {}) });
          if (!input.success) throw new CliError(ApiError.fromZod('Invalid filter', input.error).message, 2);
          const parsed = input.data;
          const chunk = await explain(() => cli.raw['raw.export'](parsed, ctxFor(tenantId)));
          if (chunk.content) await write(out, chunk.content);
          lines += chunk.lines;
          if (chunk.offline) source = `the local cache ${chunk.offline.cachePath} (offline: ${chunk.offline.reason})`;
          cursor = chunk.nextCursor ?? undefined;
        } while (cursor);
        process.stderr.write(`${lines} unit(s) exported as a .sluice bundle from ${source}${opts.out ? ` to ${opts.out}` : ''}.\n`);
      } finally {
        if (out !== process.stdout) await new Promise((r) => (out as WriteStream).end(r));
        await cli.close();
      }
    });
};
