import type pg from 'pg';
import { z } from 'zod';

import { connectorNameOf, planFor } from '../../../shared/connectors';
import { ApiError } from '../../../shared/contract/errors';
import { RetryPolicy, Schedule, type Job, type JobInput } from '../../../shared/contract/jobs';
import { isTerminal } from '../../../shared/domain/run-state';
import { RUN_COLUMNS, toRunSummary } from '../runs/read';
import { nextRunAfter, retryDueAt, ScheduleError, validateSchedule } from './schedule';

/**
 * Jobs in Postgres (migration 0011): reads shaped for the dashboard and the validated writes. Runs
 * inside the caller's tenant-scoped transaction (withTenant), so row-level security applies.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

const JOB_SELECT = `
  SELECT j.id, j.tenant_id, j.integration_id, j.name, j.run_kind, j.schedule, j.retry_policy, j.active, j.next_run_at,
         j.last_retried_run_id, j.last_error, j.created_at, j.updated_at,
         i.name AS integration_name, i.active AS integration_active, i.provider, i.settings,
         (SELECT to_jsonb(x) FROM (SELECT ${RUN_COLUMNS} FROM runs r WHERE r.job_id = j.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1) x) AS last_run,
         (SELECT count(*) FROM runs r WHERE r.job_id = j.id AND r.trigger = 'retry'
             AND r.created_at > coalesce((SELECT max(o.created_at) FROM runs o WHERE o.job_id = j.id AND o.trigger <> 'retry'), '-infinity')) AS retries
    FROM jobs j JOIN integrations i ON i.id = j.integration_id AND i.tenant_id = j.tenant_id`;

const JobRow = z.object({
  id: z.coerce.number(),
  tenant_id: z.coerce.number(),
  integration_id: z.coerce.number(),
  name: z.string(),
  run_kind: z.enum(['incremental', 'full_refresh']),
  schedule: Schedule.nullable(),
  retry_policy: RetryPolicy,
  active: z.boolean(),
  next_run_at: z.date().nullable(),
  last_retried_run_id: z.coerce.number().nullable(),
  last_error: z.looseObject({ message: z.string(), at: z.string() }).nullable(),
  created_at: z.date(),
  updated_at: z.date(),
  integration_name: z.string(),
  integration_active: z.boolean(),
  provider: z.string(),
  settings: z.record(z.string(), z.unknown()),
  last_run: z.record(z.string(), z.unknown()).nullable(),
  retries: z.coerce.number(),
});

/** to_jsonb turned the run's timestamps into strings; toRunSummary wants dates. */
const reviveRun = (json: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...json };
  for (const k of ['rate_limited_until', 'created_at', 'started_at', 'finished_at']) if (typeof out[k] === 'string') out[k] = new Date(out[k] as string);
  return out;
};

export const toJob = (raw: unknown): Job => {
  const row = JobRow.parse(raw);
  const plan = planFor({ provider: row.provider, settings: row.settings });
  const lastRun = row.last_run ? toRunSummary(reviveRun(row.last_run)) : null;
  let retry: Job['retry'] = null;
  if (lastRun?.state === 'failed' && lastRun.finishedAt) {
    const exhausted = row.retries >= row.retry_policy.maxRetries;
    const claimed = row.last_retried_run_id === lastRun.id;
    retry = {
      attempt: row.retries,
      maxRetries: row.retry_policy.maxRetries,
      nextAt: exhausted || claimed || !row.active ? null : retryDueAt(row.retry_policy, row.retries + 1, new Date(lastRun.finishedAt)).toISOString(),
      exhausted,
    };
  }
  return {
    id: row.id,
    tenantId: row.tenant_id,
    integrationId: row.integration_id,
    integrationName: row.integration_name,
    integrationActive: row.integration_active,
    provider: row.provider,
    connector: connectorNameOf({ provider: row.provider, settings: row.settings }),
    name: row.name,
    runKind: row.run_kind,
    steps: plan?.steps.map((s) => ({ key: s.key, label: s.label })) ?? [],
    schedule: row.schedule,
    retryPolicy: row.retry_policy,
    active: row.active,
    nextRunAt: row.next_run_at?.toISOString() ?? null,
    activeRun: lastRun && !isTerminal(lastRun.state) ? lastRun : null,
    lastRun,
    retry,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
};

export const listJobs = async (db: Queryable, integrationId?: number): Promise<Job[]> => {
  const res = await db.query(`${JOB_SELECT} WHERE ($1::bigint IS NULL OR j.integration_id = $1) ORDER BY lower(i.name), lower(j.name), j.id`, [integrationId ?? null]);
  return res.rows.map(toJob);
};

export const getJob = async (db: Queryable, id: number, lock = false): Promise<Job> => {
  const res = await db.query(`${JOB_SELECT} WHERE j.id = $1${lock ? ' FOR UPDATE OF j' : ''}`, [id]);
  if (res.rowCount === 0) throw new ApiError('not_found', `Job ${id} does not exist in this tenant; pick one from the jobs list.`);
  return toJob(res.rows[0]);
};

const checkedSchedule = (schedule: z.infer<typeof Schedule> | null): void => {
  if (!schedule) return;
  try {
    validateSchedule(schedule);
  } catch (error) {
    if (error instanceof ScheduleError) throw new ApiError('bad_request', error.message, [{ path: 'schedule', message: error.message }]);
    throw error;
  }
};

/** When an active, scheduled job fires next (from now). */
export const nextRunOf = (schedule: z.infer<typeof Schedule> | null, active: boolean, now = new Date()): Date | null =>
  schedule && active ? nextRunAfter(schedule, now) : null;

const uniqueName = (error: unknown, name: string): Error =>
  (error as { code?: string }).code === '23505'
    ? new ApiError('conflict', `This integration already has a job named "${name}"; pick another name.`, [{ path: 'name', message: 'already used by another job of this integration' }])
    : (error as Error);

export const createJob = async (db: Queryable, tenantId: number, input: JobInput, by: string): Promise<Job> => {
  checkedSchedule(input.schedule);
  const integration = await db.query<{ name: string; provider: string; settings: Record<string, unknown>; active: boolean }>('SELECT name, provider, settings, active FROM integrations WHERE id = $1', [input.integrationId]);
  const row = integration.rows[0];
  if (!row) throw new ApiError('not_found', `Integration ${input.integrationId} does not exist in this tenant.`, [{ path: 'integrationId', message: 'no such integration' }]);
  if (!planFor(row)) throw new ApiError('bad_request', `Integration "${row.name}" names a connector this engine does not know; fix its settings first.`);
  // A job of an inactive integration may be created, but stays inactive until the integration is active.
  const active = input.active && row.active;
  try {
    const res = await db.query<{ id: string }>(
      `INSERT INTO jobs (tenant_id, integration_id, name, run_kind, schedule, retry_policy, active, next_run_at, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9) RETURNING id`,
      [tenantId, input.integrationId, input.name, input.runKind, input.schedule ? JSON.stringify(input.schedule) : null, JSON.stringify(input.retryPolicy), active, nextRunOf(input.schedule, active), by],
    );
    return await getJob(db, Number(res.rows[0]!.id));
  } catch (error) {
    throw uniqueName(error, input.name);
  }
};

export interface JobPatchInput {
  readonly name?: string | undefined;
  readonly runKind?: 'incremental' | 'full_refresh' | undefined;
  readonly schedule?: z.infer<typeof Schedule> | null | undefined;
  readonly retryPolicy?: z.infer<typeof RetryPolicy> | undefined;
}

export const updateJob = async (db: Queryable, id: number, patch: JobPatchInput): Promise<Job> => {
  const current = await getJob(db, id, true);
  if (patch.schedule !== undefined) checkedSchedule(patch.schedule);
  const schedule = patch.schedule !== undefined ? patch.schedule : current.schedule;
  // A new schedule starts counting now; an unchanged one keeps its next run.
  const next = patch.schedule !== undefined ? nextRunOf(schedule, current.active) : current.nextRunAt;
  try {
    await db.query(
      `UPDATE jobs SET name = $2, run_kind = $3, schedule = $4::jsonb, retry_policy = $5::jsonb, next_run_at = $6, updated_at = now() WHERE id = $1`,
      [id, patch.name ?? current.name, patch.runKind ?? current.runKind, schedule ? JSON.stringify(schedule) : null, JSON.stringify(patch.retryPolicy ?? current.retryPolicy), next],
    );
  } catch (error) {
    throw uniqueName(error, patch.name ?? current.name);
  }
  return getJob(db, id);
};

export const setJobActive = async (db: Queryable, id: number, active: boolean): Promise<Job> => {
  const current = await getJob(db, id, true);
  if (current.active === active) return current;
  if (active) {
    // Lock the integration so a concurrent deactivation waits for (and sees) this activation.
    const integration = await db.query<{ active: boolean }>('SELECT active FROM integrations WHERE id = $1 FOR SHARE', [current.integrationId]);
    if (!integration.rows[0]?.active) throw new ApiError('conflict', `Integration "${current.integrationName}" is inactive; activate it before activating job "${current.name}".`);
  }
  await db.query('UPDATE jobs SET active = $2, next_run_at = $3, updated_at = now() WHERE id = $1', [id, active, nextRunOf(current.schedule, active)]);
  return getJob(db, id);
};

export const deleteJob = async (db: Queryable, id: number): Promise<void> => {
  const current = await getJob(db, id, true);
  if (current.activeRun) {
    throw new ApiError('conflict', `Job "${current.name}" has run ${current.activeRun.id} ${current.activeRun.state.replace('_', '-')}; cancel it or let it finish before deleting the job.`);
  }
  await db.query('DELETE FROM jobs WHERE id = $1', [id]);
};
