import type pg from 'pg';

import { planFor } from '../../../shared/connectors';
import { withTenant } from '../db/tenant-scope';
import { StartRunError } from './start';

/**
 * A re-transform run (DESIGN.md sections 5 and 6): the integration's stored raw data goes through
 * transform and load again with the tenant's current mappings, and no API is called, so it works with
 * the source offline. It replays exactly the raw units that the integration's unified rows point at
 * (their lineage): the latest version of every entity. Each replay is a new unit of the new run that
 * points at the original (`replay_of`) instead of copying its payload; its rows load with the
 * original's raw id as their version, so they replace what that unit loaded before and nothing newer.
 */

const TABLE_RE = /^[a-z][a-z0-9_]{0,62}$/;

export interface RetransformInput {
  readonly tenantId: number;
  readonly integrationId: number;
  readonly trigger: 'manual' | 'schedule' | 'retry';
  readonly startedBy?: string | null;
  readonly jobId?: number | null;
}

export const startRetransform = async (pool: pg.Pool, input: RetransformInput): Promise<{ runId: number; units: number }> => {
  const result = await withTenant(pool, input.tenantId, async (client) => {
    const found = await client.query<{ name: string; provider: string; settings: Record<string, unknown>; active: boolean }>(
      'SELECT name, provider, settings, active FROM integrations WHERE id = $1 FOR SHARE',
      [input.integrationId],
    );
    const integration = found.rows[0];
    if (!integration) throw new StartRunError('not_found', `Integration ${input.integrationId} does not exist in this tenant.`);
    if (!integration.active) throw new StartRunError('inactive', `Integration "${integration.name}" is inactive; activate it before re-transforming it.`);
    const plan = planFor(integration);
    if (!plan) throw new StartRunError('no_plan', `Integration "${integration.name}" names a connector this engine does not know.`);

    // Only tables that exist (a connector's tables arrive with its migration).
    const tables: string[] = [];
    for (const table of plan.lineageTables) {
      if (!TABLE_RE.test(table)) continue;
      const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
      if (exists.rows[0]?.t) tables.push(table);
    }

    await client.query('SAVEPOINT start_run');
    let runId: number;
    try {
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO runs (tenant_id, integration_id, job_id, kind, trigger, started_by, state, started_at, connector)
         VALUES ($1, $2, $3, 'retransform', $4, $5, 'running', now(), $6) RETURNING id`,
        [input.tenantId, input.integrationId, input.jobId ?? null, input.trigger, input.startedBy ?? null, plan.provider],
      );
      runId = Number(inserted.rows[0]!.id);
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      await client.query('ROLLBACK TO SAVEPOINT start_run');
      throw new StartRunError('already_running', `Integration "${integration.name}" already has an active run; wait for it, or pause or cancel it first.`);
    }
    // No extraction: every step and stream is done from the start.
    await client.query(
      `INSERT INTO run_steps (run_id, tenant_id, step, ordinal, extraction_done_at)
       SELECT $1, $2, s.key, s.ordinal - 1, now() FROM jsonb_array_elements_text($3::jsonb) WITH ORDINALITY AS s(key, ordinal)`,
      [runId, input.tenantId, JSON.stringify(plan.steps.map((s) => s.key))],
    );
    const lineage = tables.map((t) => `SELECT raw_id FROM "${t}" WHERE integration_id = $2`).join(' UNION ');
    let units = 0;
    if (lineage) {
      const replayed = await client.query<{ id: string }>(
        `WITH lineage AS (${lineage})
         INSERT INTO raw_extraction_data
           (tenant_id, integration_id, run_id, step, stream, parent_key, page_key, request_url, request_params, payload, payload_bytes, record_count, replay_of)
         SELECT d.tenant_id, d.integration_id, $1, d.step, d.stream, d.parent_key, 'replay:' || d.id, d.request_url, d.request_params,
                'null'::jsonb, 0, d.record_count, d.id
           FROM raw_extraction_data d
          WHERE d.id IN (SELECT raw_id FROM lineage) AND d.integration_id = $2 AND d.replay_of IS NULL AND d.step = ANY ($3::text[])
          ORDER BY d.id
         RETURNING id`,
        [runId, input.integrationId, plan.steps.map((s) => s.key)],
      );
      units = replayed.rowCount ?? 0;
      if (units > 0) {
        await client.query(
          `INSERT INTO queue_outbox (tenant_id, run_id, stage, message, message_id)
           SELECT $1, $2, 'transform',
                  jsonb_build_object('v', 1, 'kind', 'transform', 'tenantId', $1::int, 'integrationId', $3::bigint, 'runId', $2::bigint, 'stepKey', d.step, 'attempt', 1, 'rawId', d.id),
                  'transform-' || d.id
             FROM raw_extraction_data d WHERE d.run_id = $2 ORDER BY d.id`,
          [input.tenantId, runId, input.integrationId],
        );
        await client.query('NOTIFY sluice_outbox');
      }
    }
    return { runId, units };
  });
  // Nothing to replay: the run is complete at once (succeeded, with zero units).
  if (result.units === 0) await pool.query('SELECT sluice_try_complete_run($1)', [result.runId]);
  return result;
};
