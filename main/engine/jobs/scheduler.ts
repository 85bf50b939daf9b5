import type pg from 'pg';
import { z } from 'zod';

import { RetryPolicy, Schedule } from '../../../shared/contract/jobs';
import { withTenant } from '../db/tenant-scope';
import { nextRunAfter, retryDueAt } from './schedule';
import { startJobRun, type JobRunKind } from './start-job-run';

/**
 * The scheduler's two duties on each tick of the leading engine (coordinator.ts):
 * - due schedules: a job whose `next_run_at` passed is claimed with one guarded UPDATE that moves
 *   `next_run_at` to the next slot after now (`... WHERE next_run_at = $old`, so of two engines
 *   only one claims it), then its run starts; an overdue job (no engine was up) runs once, now.
 * - retries: a job whose last run failed gets a retry after its policy's backoff, at most
 *   `maxRetries` in a row; each failure is claimed once (`last_retried_run_id`). A failed run with
 *   checkpoints continues as a `resume` run, otherwise the job's own kind runs again.
 * A start the guards refuse (integration inactive, a run still live) is recorded on the job.
 */

export interface TickOutcome {
  readonly started: { jobId: number; runId: number; trigger: 'schedule' | 'retry' }[];
  readonly refused: { jobId: number; message: string }[];
}

const DueRow = z.object({
  id: z.coerce.number(),
  tenant_id: z.coerce.number(),
  integration_id: z.coerce.number(),
  run_kind: z.enum(['incremental', 'full_refresh']),
  schedule: Schedule,
  next_run_at: z.string(),
});

const recordRefusal = async (pool: pg.Pool, tenantId: number, jobId: number, message: string): Promise<void> => {
  await withTenant(pool, tenantId, (c) => c.query('UPDATE jobs SET last_error = jsonb_build_object($2::text, $3::text, $4::text, now()) WHERE id = $1', [jobId, 'message', message, 'at']));
};

const tryStart = async (pool: pg.Pool, out: TickOutcome, args: Parameters<typeof startJobRun>[1]): Promise<void> => {
  try {
    const { runId } = await startJobRun(pool, args);
    out.started.push({ jobId: args.jobId, runId, trigger: args.trigger === 'retry' ? 'retry' : 'schedule' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    out.refused.push({ jobId: args.jobId, message });
    await recordRefusal(pool, args.tenantId, args.jobId, `The ${args.trigger === 'retry' ? 'retry' : 'scheduled run'} did not start: ${message}`);
  }
};

export const runDueSchedules = async (pool: pg.Pool, out: TickOutcome, now = new Date()): Promise<void> => {
  const due = await pool.query(
    `SELECT id, tenant_id, integration_id, run_kind, schedule, next_run_at::text AS next_run_at
       FROM jobs WHERE active AND next_run_at IS NOT NULL AND next_run_at <= $1 ORDER BY next_run_at LIMIT 200`,
    [now],
  );
  for (const raw of due.rows) {
    const job = DueRow.parse(raw);
    const next = nextRunAfter(job.schedule, now);
    const claimed = await pool.query('UPDATE jobs SET next_run_at = $2, updated_at = now() WHERE id = $1 AND active AND next_run_at = $3::timestamptz', [job.id, next, job.next_run_at]);
    if (claimed.rowCount !== 1) continue; // another engine claimed this slot
    await tryStart(pool, out, { tenantId: job.tenant_id, jobId: job.id, integrationId: job.integration_id, kind: job.run_kind, trigger: 'schedule', startedBy: 'scheduler' });
  }
};

const RetryRow = z.object({
  id: z.coerce.number(),
  tenant_id: z.coerce.number(),
  integration_id: z.coerce.number(),
  run_kind: z.enum(['incremental', 'full_refresh']),
  retry_policy: RetryPolicy,
  run_id: z.coerce.number(),
  run_kind_failed: z.string(),
  finished_at: z.date(),
  has_checkpoints: z.boolean(),
  retries: z.coerce.number(),
});

export const runDueRetries = async (pool: pg.Pool, out: TickOutcome, now = new Date()): Promise<void> => {
  const failed = await pool.query(
    `SELECT j.id, j.tenant_id, j.integration_id, j.run_kind, j.retry_policy, r.id AS run_id, r.kind AS run_kind_failed, r.finished_at,
            EXISTS (SELECT 1 FROM run_partitions p WHERE p.run_id = r.id) AS has_checkpoints,
            (SELECT count(*) FROM runs x WHERE x.job_id = j.id AND x.trigger = 'retry'
                AND x.created_at > coalesce((SELECT max(o.created_at) FROM runs o WHERE o.job_id = j.id AND o.trigger <> 'retry'), '-infinity')) AS retries
       FROM jobs j
       CROSS JOIN LATERAL (SELECT id, kind, state, finished_at FROM runs WHERE job_id = j.id ORDER BY created_at DESC, id DESC LIMIT 1) r
      WHERE j.active AND r.state = 'failed' AND j.last_retried_run_id IS DISTINCT FROM r.id`,
  );
  for (const raw of failed.rows) {
    const job = RetryRow.parse(raw);
    if (job.retries >= job.retry_policy.maxRetries) continue;
    if (retryDueAt(job.retry_policy, job.retries + 1, job.finished_at) > now) continue;
    const claimed = await pool.query('UPDATE jobs SET last_retried_run_id = $2 WHERE id = $1 AND last_retried_run_id IS DISTINCT FROM $2', [job.id, job.run_id]);
    if (claimed.rowCount !== 1) continue;
    const kind: JobRunKind = job.run_kind_failed === 'retransform' ? 'retransform' : job.has_checkpoints ? 'resume' : job.run_kind;
    await tryStart(pool, out, {
      tenantId: job.tenant_id,
      jobId: job.id,
      integrationId: job.integration_id,
      kind,
      trigger: 'retry',
      startedBy: `retry ${job.retries + 1}/${job.retry_policy.maxRetries}`,
      ...(kind === 'resume' ? { sourceRunId: job.run_id } : {}),
    });
  }
};
