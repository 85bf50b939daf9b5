import type pg from 'pg';

import type { Retention } from '../../../shared/contract/runs';

/**
 * Retention (migration 0011), applied by the scheduler leader once an hour. Raw data is kept unless
 * a tenant chose a `rawDays`: raw units are what re-transform replays and what lineage points at.
 * Runs go only once no raw unit of theirs is left (their raw units would cascade with them).
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

export const DEFAULT_RETENTION: Retention = { runsDays: null, logsDays: 90, rawDays: null };

export const readRetention = async (db: Queryable, tenantId: number): Promise<Retention> => {
  const res = await db.query<{ runs_days: number | null; logs_days: number | null; raw_days: number | null }>('SELECT runs_days, logs_days, raw_days FROM retention_settings WHERE tenant_id = $1', [tenantId]);
  const row = res.rows[0];
  return row ? { runsDays: row.runs_days, logsDays: row.logs_days, rawDays: row.raw_days } : DEFAULT_RETENTION;
};

export const writeRetention = async (db: Queryable, tenantId: number, r: Retention): Promise<Retention> => {
  await db.query(
    `INSERT INTO retention_settings (tenant_id, runs_days, logs_days, raw_days) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id) DO UPDATE SET runs_days = EXCLUDED.runs_days, logs_days = EXCLUDED.logs_days, raw_days = EXCLUDED.raw_days, updated_at = now()`,
    [tenantId, r.runsDays, r.logsDays, r.rawDays],
  );
  return readRetention(db, tenantId);
};

export interface RetentionReport {
  readonly logs: number;
  readonly rawUnits: number;
  readonly runs: number;
}

/** Every tenant's retention, with the engine's role (across tenants). */
export const applyRetention = async (pool: pg.Pool): Promise<RetentionReport> => {
  const settings = await pool.query<{ id: number; runs_days: number | null; logs_days: number | null; raw_days: number | null }>(
    `SELECT t.id, rs.runs_days, CASE WHEN rs.tenant_id IS NULL THEN $1::int ELSE rs.logs_days END AS logs_days, rs.raw_days
       FROM tenants t LEFT JOIN retention_settings rs ON rs.tenant_id = t.id`,
    [DEFAULT_RETENTION.logsDays],
  );
  const report = { logs: 0, rawUnits: 0, runs: 0 };
  for (const t of settings.rows) {
    if (t.logs_days !== null) {
      report.logs += (await pool.query(`DELETE FROM run_logs WHERE tenant_id = $1 AND at < now() - make_interval(days => $2)`, [t.id, t.logs_days])).rowCount ?? 0;
    }
    if (t.raw_days !== null) {
      report.rawUnits += (await pool.query(
        `DELETE FROM raw_extraction_data d USING runs r
          WHERE d.run_id = r.id AND r.tenant_id = $1 AND d.tenant_id = $1 AND r.finished_at < now() - make_interval(days => $2)
            AND d.status IN ('loaded', 'skipped', 'failed')`,
        [t.id, t.raw_days],
      )).rowCount ?? 0;
    }
    if (t.runs_days !== null) {
      report.runs += (await pool.query(
        `DELETE FROM runs r WHERE r.tenant_id = $1 AND r.finished_at < now() - make_interval(days => $2)
            AND NOT EXISTS (SELECT 1 FROM raw_extraction_data d WHERE d.tenant_id = r.tenant_id AND d.run_id = r.id)`,
        [t.id, t.runs_days],
      )).rowCount ?? 0;
    }
  }
  return report;
};
