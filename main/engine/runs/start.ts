import type pg from 'pg';

import { planFor, planStreams, rootStreams, upstreamOf } from '../../../shared/connectors';
import type { ExtractMessage } from '../../../shared/queue/messages';
import { withTenant } from '../db/tenant-scope';
import { seedPartitions } from './seeds';

/**
 * Starting a run (DESIGN.md section 5): in one transaction, the run, its steps and streams from the
 * connector's plan, the root partitions, and the first extract message of each root partition in the
 * queue outbox (migration 0007), which the worker threads relay to RabbitMQ. So a run either starts
 * whole or not at all, and the engine needs no broker connection to start one.
 */

export type StartableKind = 'incremental' | 'full_refresh';

export interface StartRunInput {
  readonly tenantId: number;
  readonly integrationId: number;
  readonly kind: StartableKind;
  readonly trigger: 'manual' | 'schedule' | 'retry';
  readonly startedBy?: string | null;
  readonly jobId?: number | null;
}

export class StartRunError extends Error {
  override readonly name = 'StartRunError';
  constructor(
    readonly reason: 'not_found' | 'inactive' | 'no_plan' | 'already_running',
    message: string,
    readonly activeRunId: number | null = null,
  ) {
    super(message);
  }
}

interface IntegrationRow {
  id: string;
  provider: string;
  name: string;
  settings: Record<string, unknown>;
  active: boolean;
}

/** The outbox row of an extract message; `messageId` is stable so a relay retry cannot double it downstream. */
export const outboxExtract = (message: ExtractMessage): { stage: 'extract'; message: ExtractMessage; messageId: string } => ({
  stage: 'extract',
  message,
  messageId: `extract-${message.runId}-${message.stream}-${message.partition ?? ''}-${message.cursor ?? 'first'}`.slice(0, 200),
});

/** Writes outbox rows and wakes the relays (NOTIFY is delivered at commit). */
export const enqueueOutbox = async (
  client: pg.ClientBase,
  tenantId: number,
  runId: number,
  rows: readonly { stage: string; message: unknown; messageId: string }[],
): Promise<void> => {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO queue_outbox (tenant_id, run_id, stage, message, message_id)
     SELECT $1, $2, r.stage, r.message, r.message_id FROM jsonb_to_recordset($3::jsonb) AS r(stage text, message jsonb, message_id text)`,
    [tenantId, runId, JSON.stringify(rows.map((r) => ({ stage: r.stage, message: r.message, message_id: r.messageId })))],
  );
  await client.query('NOTIFY sluice_outbox');
};

/** Starts a run of the integration's connector plan; the run is `running` when this resolves. */
export const startRun = async (pool: pg.Pool, input: StartRunInput): Promise<{ runId: number }> =>
  withTenant(pool, input.tenantId, async (client) => {
    // FOR SHARE: a concurrent deactivation (which locks the row FOR UPDATE and checks for active runs)
    // either waits for this run to exist, or commits first and this start sees it inactive.
    const found = await client.query<IntegrationRow>('SELECT id, provider, name, settings, active FROM integrations WHERE id = $1 FOR SHARE', [input.integrationId]);
    const integration = found.rows[0];
    if (!integration) throw new StartRunError('not_found', `Integration ${input.integrationId} does not exist in this tenant.`);
    if (!integration.active) throw new StartRunError('inactive', `Integration "${integration.name}" is inactive; activate it before running it.`);
    const plan = planFor(integration);
    if (!plan) throw new StartRunError('no_plan', `Integration "${integration.name}" names a connector this engine does not know (${String(integration.settings['connector'] ?? integration.provider)}).`);

    await client.query('SAVEPOINT start_run');
    let runId: number;
    try {
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO runs (tenant_id, integration_id, job_id, kind, trigger, started_by, state, started_at, connector)
         VALUES ($1, $2, $3, $4, $5, $6, 'running', now(), $7) RETURNING id`,
        [input.tenantId, input.integrationId, input.jobId ?? null, input.kind, input.trigger, input.startedBy ?? null, plan.provider],
      );
      runId = Number(inserted.rows[0]!.id);
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      await client.query('ROLLBACK TO SAVEPOINT start_run');
      const active = await client.query<{ id: string; state: string }>(
        "SELECT id, state FROM runs WHERE integration_id = $1 AND state IN ('queued', 'running', 'paused', 'rate_limited') LIMIT 1",
        [input.integrationId],
      );
      const run = active.rows[0];
      throw new StartRunError('already_running', `Integration "${integration.name}" already has run ${run?.id ?? '?'} ${run?.state ?? 'active'}; wait for it, or pause or cancel it first.`, run ? Number(run.id) : null);
    }

    const steps = plan.steps.map((s, i) => ({ step: s.key, ordinal: i }));
    await client.query(
      `INSERT INTO run_steps (run_id, tenant_id, step, ordinal) SELECT $1, $2, s.step, s.ordinal FROM jsonb_to_recordset($3::jsonb) AS s(step text, ordinal int)`,
      [runId, input.tenantId, JSON.stringify(steps)],
    );
    const streams = planStreams(plan).map((s, i) => ({ step: s.step, stream: s.name, ordinal: i, producers: upstreamOf(s), incremental: s.incremental }));
    await client.query(
      `INSERT INTO run_streams (run_id, tenant_id, step, stream, ordinal, producers, incremental)
       SELECT $1, $2, s.step, s.stream, s.ordinal, ARRAY(SELECT jsonb_array_elements_text(s.producers)), s.incremental
         FROM jsonb_to_recordset($3::jsonb) AS s(step text, stream text, ordinal int, producers jsonb, incremental boolean)`,
      [runId, input.tenantId, JSON.stringify(streams)],
    );
    // Root partitions, each from its watermark on an incremental run.
    const roots = rootStreams(plan);
    await client.query(
      `INSERT INTO run_partitions (run_id, tenant_id, stream, partition, watermark_from)
       SELECT $1, $2, r.stream, '',
              CASE WHEN $4 = 'incremental' AND r.incremental
                   THEN (SELECT ss.watermark FROM sync_state ss WHERE ss.integration_id = $5 AND ss.stream = r.stream AND ss.partition = '') END
         FROM jsonb_to_recordset($3::jsonb) AS r(stream text, incremental boolean)`,
      [runId, input.tenantId, JSON.stringify(roots.map((r) => ({ stream: r.name, incremental: r.incremental }))), input.kind, input.integrationId],
    );
    const seeded = await seedPartitions(client, plan.provider, { runId, tenantId: input.tenantId });
    await enqueueOutbox(
      client,
      input.tenantId,
      runId,
      [
        ...roots.map((r) => ({ step: r.step, stream: r.name, partition: null as string | null })),
        ...seeded.map((s) => ({ step: planStreams(plan).find((p) => p.name === s.stream)?.step ?? '', stream: s.stream, partition: s.partition })),
      ].map((p) => outboxExtract({ v: 1, kind: 'extract', tenantId: input.tenantId, integrationId: input.integrationId, runId, stepKey: p.step, stream: p.stream, partition: p.partition, cursor: null, attempt: 1 })),
    );
    return { runId };
  });
