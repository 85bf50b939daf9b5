import type pg from 'pg';

import { planFor, planStreams, upstreamOf } from '../../../shared/connectors';
import { ApiError } from '../../../shared/contract/errors';
import type { RunTrigger } from '../../../shared/contract/runs';
import { withTenant } from '../db/tenant-scope';
import { appendRunLogInTx } from './logs';
import { finishDoneStreams, republishOpenWork, tryComplete } from './republish';

/**
 * Runs that continue another run (DESIGN.md section 5, run kinds):
 * - `resume`: a failed run (its engine died, it stalled) continues as a new run from its checkpoints:
 *   its steps, streams and partitions with their cursors are copied, and the units it left pending
 *   move to the new run, which republishes them and every open partition from its cursor.
 * - `rerun_failed`: only the failed units of a finished run. A unit whose transform or load failed
 *   moves to the new run and is reset to pending by the explicit reprocess of migration 0002; a page
 *   whose fetch failed (a failed unit with an `{error}` payload) is fetched again by reopening its
 *   partition at that page's cursor, once (`run_partitions.reopened_from`).
 * Both are new rows in `runs` (history stays honest: the old run keeps its state and final figures),
 * started in one transaction with their first messages in the outbox, like startRun.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface ContinueInput {
  readonly tenantId: number;
  readonly sourceRunId: number;
  readonly trigger: RunTrigger;
  readonly startedBy?: string | null;
  /**
   * rerun_failed only: just these units of the source run, which may then also be loaded or skipped
   * ones (the raw inspector's "reprocess selected units"); all of its failed units when absent.
   */
  readonly unitIds?: readonly number[];
}

interface Source {
  id: number;
  tenantId: number;
  integrationId: number;
  jobId: number | null;
  state: string;
  connector: string;
}

const readSource = async (client: Queryable, runId: number): Promise<Source> => {
  const res = await client.query<{ id: string; tenant_id: number; integration_id: string; job_id: string | null; state: string; name: string; provider: string; settings: Record<string, unknown>; active: boolean }>(
    `SELECT r.id, r.tenant_id, r.integration_id, r.job_id, r.state, i.name, i.provider, i.settings, i.active
       FROM runs r JOIN integrations i ON i.id = r.integration_id WHERE r.id = $1 FOR SHARE OF i`,
    [runId],
  );
  const row = res.rows[0];
  if (!row) throw new ApiError('not_found', `Run ${runId} does not exist in this tenant; pick one from the run history.`);
  if (!row.active) throw new ApiError('conflict', `Integration "${row.name}" is inactive; activate it before continuing run ${runId}.`);
  const plan = planFor(row);
  if (!plan) throw new ApiError('conflict', `Integration "${row.name}" names a connector this engine does not know; fix its settings before continuing run ${runId}.`);
  return { id: Number(row.id), tenantId: row.tenant_id, integrationId: Number(row.integration_id), jobId: row.job_id === null ? null : Number(row.job_id), state: row.state, connector: plan.provider };
};

const insertRun = async (client: Queryable, source: Source, kind: 'resume' | 'rerun_failed', input: ContinueInput): Promise<number> => {
  await client.query('SAVEPOINT continue_run');
  try {
    const res = await client.query<{ id: string }>(
      `INSERT INTO runs (tenant_id, integration_id, job_id, kind, trigger, started_by, state, started_at, connector, source_run_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', now(), $7, $8) RETURNING id`,
      [source.tenantId, source.integrationId, source.jobId, kind, input.trigger, input.startedBy ?? null, source.connector, source.id],
    );
    return Number(res.rows[0]!.id);
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    await client.query('ROLLBACK TO SAVEPOINT continue_run');
    const active = await client.query<{ id: string; state: string }>("SELECT id, state FROM runs WHERE integration_id = $1 AND state IN ('queued', 'running', 'paused', 'rate_limited') LIMIT 1", [source.integrationId]);
    const run = active.rows[0];
    throw new ApiError('conflict', `Run ${run?.id ?? '?'} of this integration is already ${run?.state.replace('_', '-') ?? 'active'}; wait for it, or pause or cancel it first.`);
  }
};

const afterCommit = async (pool: pg.Pool, tenantId: number, runId: number): Promise<void> => {
  await withTenant(pool, tenantId, (client) => tryComplete(client, runId));
};

/** A new `resume` run continuing failed run `sourceRunId` from its checkpoints. */
export const startResumeRun = async (pool: pg.Pool, input: ContinueInput): Promise<{ runId: number; moved: number; partitions: number }> => {
  const result = await withTenant(pool, input.tenantId, async (client) => {
    const source = await readSource(client, input.sourceRunId);
    if (source.state !== 'failed') {
      throw new ApiError('conflict', `Run ${source.id} is ${source.state.replace('_', '-')}, not failed: only a failed run continues as a resume run${source.state === 'paused' ? '; resume it in place instead' : ''}.`);
    }
    const runId = await insertRun(client, source, 'resume', input);
    await client.query(
      `INSERT INTO run_steps (run_id, tenant_id, step, ordinal, extraction_done_at, checkpoint)
       SELECT $1, tenant_id, step, ordinal, extraction_done_at, checkpoint FROM run_steps WHERE run_id = $2`,
      [runId, source.id],
    );
    await client.query(
      `INSERT INTO run_streams (run_id, tenant_id, step, stream, ordinal, producers, incremental, done_at)
       SELECT $1, tenant_id, step, stream, ordinal, producers, incremental, done_at FROM run_streams WHERE run_id = $2`,
      [runId, source.id],
    );
    const partitions = await client.query(
      `INSERT INTO run_partitions (run_id, tenant_id, stream, partition, cursor, pages, watermark_from, error, done_at)
       SELECT $1, tenant_id, stream, partition, cursor, pages, watermark_from, error, done_at FROM run_partitions WHERE run_id = $2`,
      [runId, source.id],
    );
    const moved = await client.query(`UPDATE raw_extraction_data SET run_id = $1 WHERE run_id = $2 AND status IN ('pending', 'transformed')`, [runId, source.id]);
    await finishDoneStreams(client, runId);
    const sent = await republishOpenWork(client, { id: runId, tenantId: source.tenantId, integrationId: source.integrationId });
    const data = { sourceRunId: source.id, movedUnits: moved.rowCount ?? 0, ...sent };
    await appendRunLogInTx(client, runId, { level: 'info', message: `Resumes failed run ${source.id}: ${sent.extracts} partition(s) continue from their cursors, ${moved.rowCount ?? 0} unit(s) it left pending are taken over.`, data });
    await appendRunLogInTx(client, source.id, { level: 'info', message: `Continued by resume run ${runId}.`, data: { resumeRunId: runId } });
    return { runId, moved: moved.rowCount ?? 0, partitions: partitions.rowCount ?? 0 };
  });
  await afterCommit(pool, input.tenantId, result.runId);
  return result;
};

/** A new `rerun_failed` run of the failed units of finished run `sourceRunId`. */
export const startRerunFailed = async (pool: pg.Pool, input: ContinueInput): Promise<{ runId: number; units: number; pages: number }> => {
  const result = await withTenant(pool, input.tenantId, async (client) => {
    const source = await readSource(client, input.sourceRunId);
    if (!['partial', 'failed', 'cancelled', 'succeeded'].includes(source.state)) {
      throw new ApiError('conflict', `Run ${source.id} is still ${source.state.replace('_', '-')}; re-run its failed units once it has ended.`);
    }
    // Failed pages not already reopened by an earlier rerun, and failed units of later stages.
    const only = input.unitIds ? [...input.unitIds] : null;
    const statuses = only ? ['failed', 'loaded', 'skipped'] : ['failed'];
    const failed = await client.query<{ extract: boolean; n: string }>(
      `SELECT d.status = 'failed' AND coalesce(d.error->>'stage', '') = 'extract' AS extract, count(*) AS n FROM raw_extraction_data d
        WHERE d.run_id = $1 AND d.status = ANY ($2::text[]) AND ($3::bigint[] IS NULL OR d.id = ANY ($3))
          AND NOT EXISTS (SELECT 1 FROM run_partitions rp WHERE rp.reopened_from = d.id)
        GROUP BY 1`,
      [source.id, statuses, only],
    );
    const pages = Number(failed.rows.find((r) => r.extract)?.n ?? 0);
    const units = Number(failed.rows.find((r) => !r.extract)?.n ?? 0);
    if (pages + units === 0) {
      throw new ApiError('conflict', only ? `None of the selected units of run ${source.id} can be reprocessed: only failed, loaded or skipped units (a failed page only once).` : `Run ${source.id} has no failed units left to re-run.`);
    }
    const plan = planFor((await client.query<{ provider: string; settings: Record<string, unknown> }>('SELECT provider, settings FROM integrations WHERE id = $1', [source.integrationId])).rows[0]!)!;
    const runId = await insertRun(client, source, 'rerun_failed', input);
    await client.query(
      `INSERT INTO run_steps (run_id, tenant_id, step, ordinal) SELECT $1, $2, s.step, s.ordinal FROM jsonb_to_recordset($3::jsonb) AS s(step text, ordinal int)`,
      [runId, source.tenantId, JSON.stringify(plan.steps.map((s, i) => ({ step: s.key, ordinal: i })))],
    );
    const streams = planStreams(plan).map((s, i) => ({ step: s.step, stream: s.name, ordinal: i, producers: upstreamOf(s), incremental: s.incremental }));
    await client.query(
      `INSERT INTO run_streams (run_id, tenant_id, step, stream, ordinal, producers, incremental)
       SELECT $1, $2, s.step, s.stream, s.ordinal, ARRAY(SELECT jsonb_array_elements_text(s.producers)), s.incremental
         FROM jsonb_to_recordset($3::jsonb) AS s(step text, stream text, ordinal int, producers jsonb, incremental boolean)`,
      [runId, source.tenantId, JSON.stringify(streams)],
    );
    // Each failed page's partition, reopened at that page's cursor (saved in its request params).
    await client.query(
      `INSERT INTO run_partitions (run_id, tenant_id, stream, partition, cursor, watermark_from, reopened_from)
       SELECT $1, d.tenant_id, d.stream, coalesce(d.parent_key, ''), d.request_params->>'cursor', op.watermark_from, d.id
         FROM raw_extraction_data d
         JOIN run_streams s ON s.run_id = $1 AND s.stream = d.stream
         LEFT JOIN run_partitions op ON op.run_id = d.run_id AND op.stream = d.stream AND op.partition = coalesce(d.parent_key, '')
        WHERE d.run_id = $2 AND d.status = 'failed' AND coalesce(d.error->>'stage', '') = 'extract' AND ($3::bigint[] IS NULL OR d.id = ANY ($3))
          AND NOT EXISTS (SELECT 1 FROM run_partitions rp WHERE rp.reopened_from = d.id)
       ON CONFLICT (run_id, stream, partition) DO NOTHING`,
      [runId, source.id, only],
    );
    // The explicit reprocess of migration 0002: failed → pending with reprocess_count + 1, in the new run.
    await client.query(
      `UPDATE raw_extraction_data SET run_id = $1, status = 'pending', reprocess_count = reprocess_count + 1, error = NULL, transformed = NULL
        WHERE run_id = $2 AND status = ANY ($3::text[]) AND NOT (status = 'failed' AND coalesce(error->>'stage', '') = 'extract')
          AND ($4::bigint[] IS NULL OR id = ANY ($4))`,
      [runId, source.id, statuses, only],
    );
    await finishDoneStreams(client, runId);
    const sent = await republishOpenWork(client, { id: runId, tenantId: source.tenantId, integrationId: source.integrationId });
    const data = { sourceRunId: source.id, failedUnits: units, failedPages: pages, ...sent };
    await appendRunLogInTx(client, runId, { level: 'info', message: `Re-runs the failed units of run ${source.id}: ${units} unit(s) transformed again, ${pages} failed page(s) fetched again from their cursors.`, data });
    await appendRunLogInTx(client, source.id, { level: 'info', message: `Failed units re-run by run ${runId}.`, data: { rerunRunId: runId } });
    return { runId, units, pages };
  });
  await afterCommit(pool, input.tenantId, result.runId);
  return result;
};
