import type pg from 'pg';
import { z } from 'zod';

import { planFor } from '../../../shared/connectors';
import { withTenant } from '../db/tenant-scope';
import { failRun } from './controls';
import { appendRunLogInTx } from './logs';
import { finishDoneStreams, republishOpenWork, tryComplete } from './republish';

/**
 * Nothing stays running forever (DESIGN.md section 5; the prior system's jobs stuck RUNNING):
 * - on engine start, every run left `running`, `rate_limited` or `queued` continues from its
 *   checkpoints (an extract from each open partition's cursor, transform/load for units left
 *   pending: all idempotent), or is marked `failed` with the reason when it cannot continue (its
 *   connector is unknown). Paused runs stay paused: resume republishes their work when asked.
 * - periodically, a live run without activity for `staleAfterMs` gets its open work sent again once;
 *   if still nothing happens for another `staleAfterMs` (or its outbox is not even being relayed,
 *   i.e. no extract worker is up anywhere), it is marked `failed` with the reason, and the job's
 *   retry policy can continue it as a `resume` run.
 * Runs are visited across tenants with the engine's role, then changed inside withTenant.
 */

const LiveRun = z.object({ id: z.coerce.number(), tenant_id: z.coerce.number(), integration_id: z.coerce.number(), state: z.string(), provider: z.string(), settings: z.record(z.string(), z.unknown()) });

export interface RecoveryReport {
  readonly resumed: number[];
  readonly failed: number[];
  readonly ended: number[];
}

/** On engine start. Several engines starting together: the first takes an advisory lock, the others skip. */
export const recoverInterruptedRuns = async (pool: pg.Pool): Promise<RecoveryReport> => {
  const lock = await pool.connect();
  const report = { resumed: [] as number[], failed: [] as number[], ended: [] as number[] };
  try {
    const got = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('sluice:recovery')) AS ok");
    if (!got.rows[0]?.ok) return report;
    try {
      const live = await lock.query(
        `SELECT r.id, r.tenant_id, r.integration_id, r.state, i.provider, i.settings
           FROM runs r JOIN integrations i ON i.id = r.integration_id
          WHERE r.state IN ('queued', 'running', 'rate_limited') ORDER BY r.id`,
      );
      for (const raw of live.rows) {
        const run = LiveRun.parse(raw);
        if (!planFor(run)) {
          const why = `The engine restarted and cannot continue run ${run.id}: its integration names a connector this engine does not know (${String(run.settings['connector'] ?? run.provider)}). Fix the integration, then start a new run.`;
          if (await withTenant(pool, run.tenant_id, (c) => failRun(c, run.id, 'connector_unknown', why))) report.failed.push(run.id);
          continue;
        }
        const sent = await withTenant(pool, run.tenant_id, async (client) => {
          await finishDoneStreams(client, run.id);
          const s = await republishOpenWork(client, { id: run.id, tenantId: run.tenant_id, integrationId: run.integration_id });
          await client.query('UPDATE runs SET republished_at = now() WHERE id = $1', [run.id]);
          await appendRunLogInTx(client, run.id, {
            level: 'warn',
            message: `Recovered after an engine restart: ${s.extracts} partition(s) continue from their checkpoints, ${s.transforms} unit(s) to transform and ${s.loads} to load were sent again.`,
            data: { ...s, state: run.state },
          });
          return s;
        });
        const ended = await withTenant(pool, run.tenant_id, (c) => tryComplete(c, run.id));
        if (ended) report.ended.push(run.id);
        else if (sent) report.resumed.push(run.id);
      }
    } finally {
      await lock.query("SELECT pg_advisory_unlock(hashtext('sluice:recovery'))");
    }
  } finally {
    lock.release();
  }
  return report;
};

const StaleRun = z.object({
  id: z.coerce.number(),
  tenant_id: z.coerce.number(),
  integration_id: z.coerce.number(),
  idle_ms: z.coerce.number(),
  republished_ms_ago: z.coerce.number().nullable(),
  republished_since_activity: z.boolean(),
  outbox_pending: z.boolean(),
});

export interface SweepReport {
  readonly republished: number[];
  readonly failed: number[];
}

const minutes = (ms: number): string => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

export const sweepStaleRuns = async (pool: pg.Pool, staleAfterMs: number): Promise<SweepReport> => {
  const res = await pool.query(
    `SELECT r.id, r.tenant_id, r.integration_id,
            extract(epoch FROM now() - a.last) * 1000 AS idle_ms,
            extract(epoch FROM now() - r.republished_at) * 1000 AS republished_ms_ago,
            coalesce(r.republished_at >= a.last, false) AS republished_since_activity,
            EXISTS (SELECT 1 FROM queue_outbox o WHERE o.run_id = r.id) AS outbox_pending
       FROM runs r
       CROSS JOIN LATERAL (
         SELECT greatest(r.updated_at, r.started_at,
                         (SELECT max(d.updated_at) FROM raw_extraction_data d WHERE d.tenant_id = r.tenant_id AND d.run_id = r.id),
                         (SELECT max(p.updated_at) FROM run_partitions p WHERE p.run_id = r.id)) AS last
       ) a
      WHERE r.state IN ('queued', 'running', 'rate_limited')
        AND (r.rate_limited_until IS NULL OR r.rate_limited_until < now())
        AND a.last < now() - make_interval(secs => $1::double precision / 1000)`,
    [staleAfterMs],
  );
  const report = { republished: [] as number[], failed: [] as number[] };
  for (const raw of res.rows) {
    const run = StaleRun.parse(raw);
    if (run.outbox_pending) {
      const why = `Run ${run.id} had no activity for ${minutes(run.idle_ms)} and its first messages were never taken from the outbox: no extract worker is running. Start one (SLUICE_WORKERS, or \`sluice worker\`), then resume the run.`;
      if (await withTenant(pool, run.tenant_id, (c) => failRun(c, run.id, 'no_workers', why))) report.failed.push(run.id);
    } else if (!run.republished_since_activity) {
      await withTenant(pool, run.tenant_id, async (client) => {
        const sent = await republishOpenWork(client, { id: run.id, tenantId: run.tenant_id, integrationId: run.integration_id });
        await client.query('UPDATE runs SET republished_at = now() WHERE id = $1', [run.id]);
        await appendRunLogInTx(client, run.id, { level: 'warn', message: `No activity for ${minutes(run.idle_ms)}: its open work was sent again (messages may have been lost).`, data: { ...sent } });
      });
      report.republished.push(run.id);
    } else if ((run.republished_ms_ago ?? 0) >= staleAfterMs) {
      const why = `Run ${run.id} had no activity for ${minutes(run.idle_ms)}, even after its open work was sent again: its workers are down or stuck. Check the Workers page, then resume the run.`;
      if (await withTenant(pool, run.tenant_id, (c) => failRun(c, run.id, 'stalled', why))) report.failed.push(run.id);
    }
  }
  return report;
};
