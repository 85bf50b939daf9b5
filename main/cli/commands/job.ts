import { userInfo } from 'node:os';

import type { Command } from 'commander';
import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import type { Job } from '../../../shared/contract/jobs';
import type { RunDetail, RunSummary } from '../../../shared/contract/runs';
import { isTerminal } from '../../../shared/domain/run-state';
import { loadConfig } from '../../engine/config';
import { createPool } from '../../engine/db/pool';
import { jobHandlers } from '../../engine/handlers/jobs';
import { runHandlers } from '../../engine/handlers/runs';
import type { CallContext } from '../../engine/types';
import { CliError, type RegisterCommand } from '../command';
import { withLocalStack } from '../endpoints';

/**
 * `sluice job list|run|pause|resume|cancel|retransform|logs`: the jobs API through the engine's own
 * handlers, straight on Postgres (no console needs to run). `--wait` prints one progress line per
 * step whenever its figures change until the run ends, and exits non-zero unless it succeeded.
 */

interface Cli {
  readonly pool: pg.Pool;
  readonly jobs: ReturnType<typeof jobHandlers>;
  readonly runs: ReturnType<typeof runHandlers>;
  ctx(tenantId: number): CallContext;
  close(): Promise<void>;
}

const open = async (): Promise<Cli> => {
  const config = await withLocalStack(loadConfig());
  if (!config.databaseUrl) throw new CliError('No database: set DATABASE_URL or start the local stack with `sluice stack up`.', 2);
  const pool = createPool(config.databaseUrl, 3);
  const principal = `cli:${(() => {
    try {
      return userInfo().username;
    } catch {
      return 'unknown';
    }
  })()}`;
  return {
    pool,
    jobs: jobHandlers({ pool, feed: null }),
    runs: runHandlers({ pool, feed: null }),
    ctx: (tenantId) => ({ transport: 'cli', tenantId, principal }),
    close: () => pool.end(),
  };
};

/** ApiErrors become one clear CLI line. */
const run = <A extends unknown[]>(action: (cli: Cli, ...args: A) => Promise<void>) => async (...args: A): Promise<void> => {
  const cli = await open();
  try {
    await action(cli, ...args);
  } catch (error) {
    if (error instanceof ApiError) throw new CliError(error.message, error.code === 'not_found' ? 3 : 1);
    throw error;
  } finally {
    await cli.close();
  }
};

const id = (what: string) => (value: string): number => {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw new CliError(`${what} must be a positive number, got "${value}".`, 2);
  return Number(value);
};

const tenantOfJob = async (cli: Cli, jobId: number): Promise<number> => {
  const res = await cli.pool.query<{ tenant_id: number }>('SELECT tenant_id FROM jobs WHERE id = $1', [jobId]);
  const row = res.rows[0];
  if (!row) throw new CliError(`Job ${jobId} does not exist; \`sluice job list\` shows the jobs.`, 3);
  return row.tenant_id;
};

const tenantOfRun = async (cli: Cli, runId: number): Promise<number> => {
  const res = await cli.pool.query<{ tenant_id: number }>('SELECT tenant_id FROM runs WHERE id = $1', [runId]);
  const row = res.rows[0];
  if (!row) throw new CliError(`Run ${runId} does not exist.`, 3);
  return row.tenant_id;
};

const when = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

const describeJob = (job: Job): string => {
  const schedule = !job.schedule ? 'manual' : job.schedule.type === 'interval' ? `every ${job.schedule.everyMinutes} min` : `cron "${job.schedule.expression}" ${job.schedule.timezone}`;
  const last = job.lastRun ? `run ${job.lastRun.id} ${job.lastRun.state}` : 'never run';
  return `${String(job.id).padStart(4)}  ${job.name}  [${job.integrationName}, ${job.connector}]  ${job.active ? 'active' : 'inactive'}  ${schedule}  next ${when(job.nextRunAt)}  ${last}`;
};

const stepLine = (run: RunDetail, step: RunDetail['steps'][number]): string => {
  const c = step.counters;
  const phase = step.extractionDoneAt ? 'extracted' : 'extracting';
  return `run ${run.id} ${run.state}  ${step.label}: ${phase} · ${c.extracted} extracted · ${c.transformed} transformed · ${c.loaded} loaded · ${c.failed} failed · ${c.pending} pending`;
};

/** Prints per-step lines whenever they change until the run ends; throws unless it succeeded. */
const waitFor = async (cli: Cli, tenantId: number, runId: number, out: (line: string) => void = (l) => console.log(l)): Promise<void> => {
  const printed = new Map<string, string>();
  const started = Date.now();
  let hinted = false;
  for (;;) {
    // The CLI only starts runs; workers elsewhere process them. Say so when nothing takes its messages.
    if (!hinted && Date.now() - started > 15_000) {
      const waiting = await cli.pool.query('SELECT 1 FROM queue_outbox WHERE run_id = $1 LIMIT 1', [runId]);
      if ((waiting.rowCount ?? 0) > 0) {
        out(`run ${runId}: no worker has taken its messages yet; is \`sluice serve\`, the desktop app or a \`sluice worker\` running against this database?`);
        hinted = true;
      }
    }
    const detail = await cli.runs['runs.get']({ id: runId }, cli.ctx(tenantId));
    for (const step of detail.steps) {
      const line = stepLine(detail, step);
      if (printed.get(step.step) !== line) out(line);
      printed.set(step.step, line);
    }
    if (detail.rateLimitedUntil && detail.state === 'rate_limited') out(`run ${runId} rate-limited until ${when(detail.rateLimitedUntil)}; it continues by itself`);
    if (isTerminal(detail.state)) {
      const t = detail.totals;
      const summary = `run ${runId} ended ${detail.state}: ${t.loaded} record(s) loaded from ${t.units} unit(s), ${t.failed} failed, ${t.skipped} skipped in ${((detail.durationMs ?? 0) / 1000).toFixed(1)} s`;
      if (detail.state === 'succeeded') {
        out(summary);
        return;
      }
      const why = detail.error ? `: ${detail.error.message}` : detail.state === 'partial' ? `; see \`sluice job logs ${runId}\`, then \`sluice job rerun ${runId}\`` : '';
      throw new CliError(`${summary}${why}`, 1);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
};

const report = (result: { run: RunSummary; message: string }): void => console.log(result.message);

/** The run a job control acts on: --run, else the job's live run (or its last run, for resume). */
const targetRun = async (cli: Cli, jobId: number, runId: number | undefined, wantLast: boolean): Promise<{ tenantId: number; runId: number }> => {
  if (runId !== undefined) return { tenantId: await tenantOfRun(cli, runId), runId };
  const tenantId = await tenantOfJob(cli, jobId);
  const job = await cli.jobs['jobs.get']({ id: jobId }, cli.ctx(tenantId));
  const target = job.activeRun ?? (wantLast ? job.lastRun : null);
  if (!target) throw new CliError(`Job ${jobId} ("${job.name}") has no ${wantLast ? '' : 'live '}run to act on.`, 1);
  return { tenantId, runId: target.id };
};

export const register: RegisterCommand = (program: Command) => {
  const job = program.command('job').description('list jobs and run, pause, resume, cancel or re-transform them (straight on Postgres)');

  job
    .command('list')
    .description('every job with its schedule, next run and last run')
    .option('--tenant <id>', 'only this tenant', id('--tenant'))
    .option('--json', 'print JSON')
    .action(
      run(async (cli, opts: { tenant?: number; json?: boolean }) => {
        const tenants = opts.tenant ? [opts.tenant] : (await cli.pool.query<{ id: number }>('SELECT id FROM tenants ORDER BY id')).rows.map((r) => r.id);
        const all: Job[] = [];
        for (const t of tenants) all.push(...(await cli.jobs['jobs.list']({}, cli.ctx(t))).jobs);
        if (opts.json) console.log(JSON.stringify(all, null, 2));
        else if (all.length === 0) console.log('No jobs yet: create one in the console (Jobs) for an integration.');
        else for (const j of all) console.log(describeJob(j));
      }),
    );

  job
    .command('run <job>')
    .description('start a run of the job now (its run kind; --full for a full refresh)')
    .option('--full', 'full refresh: re-read everything from the source (needs --yes)')
    .option('--yes', 'confirm a full refresh')
    .option('--force', 'run the job once even if it is inactive')
    .option('--wait', 'print progress until the run ends; exit non-zero unless it succeeded')
    .action(
      run(async (cli, jobArg: string, opts: { full?: boolean; yes?: boolean; force?: boolean; wait?: boolean }) => {
        const jobId = id('the job')(jobArg);
        const tenantId = await tenantOfJob(cli, jobId);
        if (opts.full && !opts.yes) throw new CliError('A full refresh re-reads everything from the source; add --yes to confirm it.', 2);
        const result = opts.full ? await cli.jobs['jobs.fullRefresh']({ id: jobId, confirm: true }, cli.ctx(tenantId)) : await cli.jobs['jobs.runNow']({ id: jobId, force: opts.force ?? false }, cli.ctx(tenantId));
        report(result);
        if (opts.wait) await waitFor(cli, tenantId, result.run.id);
      }),
    );

  job
    .command('retransform <job>')
    .description('re-transform the job’s stored raw data with the current mappings (no API call)')
    .option('--wait', 'print progress until the run ends; exit non-zero unless it succeeded')
    .action(
      run(async (cli, jobArg: string, opts: { wait?: boolean }) => {
        const jobId = id('the job')(jobArg);
        const tenantId = await tenantOfJob(cli, jobId);
        const result = await cli.jobs['jobs.retransform']({ id: jobId }, cli.ctx(tenantId));
        report(result);
        if (opts.wait) await waitFor(cli, tenantId, result.run.id);
      }),
    );

  const control = (name: 'pause' | 'resume' | 'cancel', description: string) =>
    job
      .command(`${name} <job>`)
      .description(description)
      .option('--run <id>', 'act on this run instead of the job’s live run', id('--run'))
      .option('--wait', 'print progress until the run ends; exit non-zero unless it succeeded')
      .action(
        run(async (cli, jobArg: string, opts: { run?: number; wait?: boolean }) => {
          const target = await targetRun(cli, id('the job')(jobArg), opts.run, name === 'resume');
          const method = name === 'pause' ? 'runs.pause' : name === 'resume' ? 'runs.resume' : 'runs.cancel';
          const result = await cli.runs[method]({ id: target.runId }, cli.ctx(target.tenantId));
          report(result);
          if (opts.wait) await waitFor(cli, target.tenantId, result.run.id);
        }),
      );
  control('pause', 'pause the job’s live run: fetching stops at the next page, cursors are kept');
  control('resume', 'resume the job’s paused run from its cursors (or continue its failed last run)');
  control('cancel', 'cancel the job’s live run: fetching stops and its queued work is dropped');

  job
    .command('rerun <run>')
    .description('re-run only the failed units of a finished run')
    .option('--wait', 'print progress until the run ends; exit non-zero unless it succeeded')
    .action(
      run(async (cli, runArg: string, opts: { wait?: boolean }) => {
        const runId = id('the run')(runArg);
        const tenantId = await tenantOfRun(cli, runId);
        const result = await cli.runs['runs.rerunFailed']({ id: runId }, cli.ctx(tenantId));
        report(result);
        if (opts.wait) await waitFor(cli, tenantId, result.run.id);
      }),
    );

  job
    .command('logs <run>')
    .description('print a run’s persisted log as NDJSON')
    .action(
      run(async (cli, runArg: string) => {
        const runId = id('the run')(runArg);
        const { content } = await cli.runs['runs.logsExport']({ id: runId }, cli.ctx(await tenantOfRun(cli, runId)));
        process.stdout.write(content);
      }),
    );
};
