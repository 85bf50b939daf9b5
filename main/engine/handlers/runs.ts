import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import { asDatabaseError, requirePool } from '../db/pool';
import { withTenant } from '../db/tenant-scope';
import { startResumeRun, startRerunFailed } from '../runs/continue';
import { cancelRun, pauseRun, resumePausedRun, type ControlOutcome } from '../runs/controls';
import { listRuns } from '../runs/history';
import { exportRunLogs, listRunLogs } from '../runs/logs';
import type { ProgressFeed } from '../runs/progress-feed';
import { readRunDetail, readRunSummary } from '../runs/read';
import { readRetention, writeRetention } from '../runs/retention';
import type { CallContext, Handlers } from '../types';

/** The runs API (shared/contract/runs.ts): history, detail, controls, logs, retention. */

export interface RunHandlerDeps {
  readonly pool: pg.Pool | null;
  readonly feed: ProgressFeed | null;
}

type RunMethods = 'runs.list' | 'runs.get' | 'runs.progressOf' | 'runs.pause' | 'runs.resume' | 'runs.cancel' | 'runs.rerunFailed' | 'runs.logs' | 'runs.logsExport' | 'runs.getRetention' | 'runs.setRetention';

export const tenantOf = (ctx: CallContext): number => {
  if (ctx.tenantId === null) throw new ApiError('bad_request', 'Pick a tenant first: runs and jobs belong to a tenant (the console sends the selected one with every call).');
  return ctx.tenantId;
};

/** Runs `fn` for the caller's tenant in one transaction, with database errors made readable. */
export const scoped = async <T>(pool: pg.Pool | null, ctx: CallContext, fn: (client: pg.PoolClient, tenantId: number) => Promise<T>): Promise<T> => {
  const tenantId = tenantOf(ctx);
  try {
    return await withTenant(requirePool(pool), tenantId, (client) => fn(client, tenantId));
  } catch (error) {
    throw asDatabaseError(error);
  }
};

const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (error) {
    throw asDatabaseError(error);
  }
};

export const runHandlers = (deps: RunHandlerDeps): Pick<Handlers, RunMethods> => {
  const done = (outcome: ControlOutcome): ControlOutcome => {
    deps.feed?.touch(outcome.run.id);
    if (outcome.run.jobId !== null) deps.feed?.jobChanged(outcome.run.tenantId, outcome.run.jobId, outcome.message);
    return outcome;
  };
  return {
    'runs.list': (filter, ctx) => scoped(deps.pool, ctx, (client) => listRuns(client, filter)),
    'runs.get': ({ id }, ctx) => scoped(deps.pool, ctx, (client) => readRunDetail(client, id)),
    'runs.progressOf': async ({ id }, ctx) => {
      // The tenant's own run only (read under its row-level security), then the feed's figures for it.
      await scoped(deps.pool, ctx, (client) => readRunSummary(client, id));
      if (!deps.feed) throw new ApiError('unavailable', 'Run progress needs Postgres, and the engine has none configured; set DATABASE_URL or pick a connection profile.');
      const progress = await guarded(() => deps.feed!.progressOf(id));
      if (!progress) throw new ApiError('not_found', `Run ${id} does not exist (it may have been deleted with its integration); reload the list.`);
      return progress;
    },
    'runs.pause': ({ id }, ctx) => guarded(async () => done(await pauseRun(requirePool(deps.pool), tenantOf(ctx), id, ctx.principal))),
    'runs.resume': ({ id }, ctx) =>
      guarded(async () => {
        const pool = requirePool(deps.pool);
        const tenantId = tenantOf(ctx);
        const current = await withTenant(pool, tenantId, (client) => readRunSummary(client, id));
        if (current.state !== 'failed') return done(await resumePausedRun(pool, tenantId, id, ctx.principal));
        // A failed run continues as a new `resume` run from its checkpoints.
        const { runId, partitions } = await startResumeRun(pool, { tenantId, sourceRunId: id, trigger: 'manual', startedBy: ctx.principal });
        const run = await withTenant(pool, tenantId, (client) => readRunSummary(client, runId));
        return done({ run, message: `Failed run ${id} continues as run ${runId}, from the checkpoints of its ${partitions} partition(s).` });
      }),
    'runs.cancel': ({ id }, ctx) => guarded(async () => done(await cancelRun(requirePool(deps.pool), tenantOf(ctx), id, ctx.principal))),
    'runs.rerunFailed': ({ id }, ctx) =>
      guarded(async () => {
        const pool = requirePool(deps.pool);
        const tenantId = tenantOf(ctx);
        const { runId, units, pages } = await startRerunFailed(pool, { tenantId, sourceRunId: id, trigger: 'manual', startedBy: ctx.principal });
        const run = await withTenant(pool, tenantId, (client) => readRunSummary(client, runId));
        return done({ run, message: `Run ${runId} re-runs the failed units of run ${id}: ${units} unit(s) to transform again, ${pages} page(s) to fetch again.` });
      }),
    'runs.logs': ({ id, ...filter }, ctx) =>
      scoped(deps.pool, ctx, async (client) => {
        await readRunSummary(client, id);
        return listRunLogs(client, id, filter);
      }),
    'runs.logsExport': ({ id }, ctx) =>
      scoped(deps.pool, ctx, async (client) => {
        await readRunSummary(client, id);
        const { lines, content } = await exportRunLogs(client, id);
        return { filename: `sluice-run-${id}-logs.ndjson`, contentType: 'application/x-ndjson' as const, lines, content };
      }),
    'runs.getRetention': (_input, ctx) => scoped(deps.pool, ctx, (client, tenantId) => readRetention(client, tenantId)),
    'runs.setRetention': ({ confirmRawDeletion, ...retention }, ctx) =>
      scoped(deps.pool, ctx, async (client, tenantId) => {
        const current = await readRetention(client, tenantId);
        if (retention.rawDays !== null && retention.rawDays !== current.rawDays && !confirmRawDeletion) {
          throw new ApiError(
            'bad_request',
            `Deleting raw data older than ${retention.rawDays} days cannot be undone: re-transform and lineage stop working for those rows. Pass confirmRawDeletion: true to set it.`,
            [{ path: 'confirmRawDeletion', message: 'required to delete raw data' }],
          );
        }
        return writeRetention(client, tenantId, retention);
      }),
  };
};
