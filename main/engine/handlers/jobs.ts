import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import type { Job } from '../../../shared/contract/jobs';
import { requirePool } from '../db/pool';
import { withTenant } from '../db/tenant-scope';
import { startJobRun, type JobRunKind } from '../jobs/start-job-run';
import { createJob, deleteJob, getJob, listJobs, setJobActive, updateJob } from '../jobs/store';
import type { ProgressFeed } from '../runs/progress-feed';
import { readRunSummary } from '../runs/read';
import type { CallContext, Handlers } from '../types';
import { scoped, tenantOf } from './runs';

/** The jobs API (shared/contract/jobs.ts): CRUD with validation, and the run-starting controls. */

export interface JobHandlerDeps {
  readonly pool: pg.Pool | null;
  readonly feed: ProgressFeed | null;
}

type JobMethods = 'jobs.list' | 'jobs.get' | 'jobs.create' | 'jobs.update' | 'jobs.setActive' | 'jobs.delete' | 'jobs.runNow' | 'jobs.fullRefresh' | 'jobs.retransform';

export const jobHandlers = (deps: JobHandlerDeps): Pick<Handlers, JobMethods> => {
  const changed = (job: Job, reason: string): Job => {
    deps.feed?.jobChanged(job.tenantId, job.id, reason);
    return job;
  };

  const start = async (id: number, ctx: CallContext, kind: (job: Job) => JobRunKind, allowInactive: boolean) => {
    const pool = requirePool(deps.pool);
    const tenantId = tenantOf(ctx);
    const job = await withTenant(pool, tenantId, (client) => getJob(client, id));
    if (!job.active && !allowInactive) throw new ApiError('conflict', `Job "${job.name}" is inactive; activate it, or force a single run.`);
    if (job.activeRun) {
      throw new ApiError('conflict', `Run ${job.activeRun.id} of job "${job.name}" is already ${job.activeRun.state.replace('_', '-')}; wait for it, or pause or cancel it first.`);
    }
    const runKind = kind(job);
    const { runId, detail } = await startJobRun(pool, { tenantId, jobId: job.id, integrationId: job.integrationId, kind: runKind, trigger: 'manual', startedBy: ctx.principal });
    const run = await withTenant(pool, tenantId, (client) => readRunSummary(client, runId));
    deps.feed?.touch(runId);
    deps.feed?.jobChanged(tenantId, job.id, `run ${runId} started`);
    return { run, message: `Run ${runId} of job "${job.name}" started: it ${detail}.` };
  };

  return {
    'jobs.list': ({ integrationId }, ctx) => scoped(deps.pool, ctx, async (client) => ({ jobs: await listJobs(client, integrationId), serverTime: new Date().toISOString() })),
    'jobs.get': ({ id }, ctx) => scoped(deps.pool, ctx, (client) => getJob(client, id)),
    'jobs.create': (input, ctx) => scoped(deps.pool, ctx, async (client, tenantId) => changed(await createJob(client, tenantId, input, ctx.principal), 'created')),
    'jobs.update': ({ id, patch }, ctx) => scoped(deps.pool, ctx, async (client) => changed(await updateJob(client, id, patch), 'updated')),
    'jobs.setActive': ({ id, active }, ctx) => scoped(deps.pool, ctx, async (client) => changed(await setJobActive(client, id, active), active ? 'activated' : 'deactivated')),
    'jobs.delete': ({ id }, ctx) =>
      scoped(deps.pool, ctx, async (client, tenantId) => {
        await deleteJob(client, id);
        deps.feed?.jobChanged(tenantId, id, 'deleted');
        return { id, deleted: true as const };
      }),
    'jobs.runNow': ({ id, force }, ctx) => start(id, ctx, (job) => job.runKind, force),
    'jobs.fullRefresh': ({ id }, ctx) => start(id, ctx, () => 'full_refresh', false),
    'jobs.retransform': ({ id }, ctx) => start(id, ctx, () => 'retransform', true),
  };
};
