import type pg from 'pg';
import { z } from 'zod';

import type { RunLog } from '../../../shared/contract/runs';

/**
 * Run logs (migration 0011): structured lines per run and step, bounded per run by
 * `sluice_append_run_log`. The engine writes them for what it does and sees (controls, recovery,
 * scheduling, unit failures, the run's end); nothing is logged per record.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

export type LogLevel = RunLog['level'];

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly step?: string | null;
  readonly data?: Record<string, unknown>;
}

/** Appends one line; never throws (a log line must not fail the control or sweep that writes it). */
export const appendRunLog = async (db: Queryable, runId: number, line: LogLine): Promise<void> => {
  try {
    await db.query('SELECT sluice_append_run_log($1, $2, $3, $4, $5::jsonb)', [runId, line.step ?? null, line.level, line.message.slice(0, 2000), line.data ? JSON.stringify(line.data) : null]);
  } catch {
    // best effort
  }
};

/** Same, inside a transaction that must not be aborted by a failing log insert. */
export const appendRunLogInTx = async (client: Queryable, runId: number, line: LogLine): Promise<void> => {
  await client.query('SAVEPOINT run_log');
  try {
    await client.query('SELECT sluice_append_run_log($1, $2, $3, $4, $5::jsonb)', [runId, line.step ?? null, line.level, line.message.slice(0, 2000), line.data ? JSON.stringify(line.data) : null]);
    await client.query('RELEASE SAVEPOINT run_log');
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT run_log');
  }
};

const LogRow = z.object({
  id: z.coerce.number(),
  run_id: z.coerce.number(),
  step: z.string().nullable(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
  data: z.unknown(),
  at: z.date(),
});

const toLog = (raw: unknown): RunLog => {
  const r = LogRow.parse(raw);
  return { id: r.id, runId: r.run_id, step: r.step, level: r.level, message: r.message, data: r.data ?? null, at: r.at.toISOString() };
};

export interface LogFilter {
  readonly levels?: readonly LogLevel[] | undefined;
  readonly step?: string | undefined;
  readonly afterId?: number | undefined;
  readonly limit: number;
}

export const listRunLogs = async (db: Queryable, runId: number, filter: LogFilter): Promise<{ logs: RunLog[]; nextAfterId: number | null }> => {
  const res = await db.query(
    `SELECT id, run_id, step, level, message, data, at FROM run_logs
      WHERE run_id = $1 AND ($2::text[] IS NULL OR level = ANY ($2)) AND ($3::text IS NULL OR step = $3) AND id > $4
      ORDER BY id LIMIT $5`,
    [runId, filter.levels ?? null, filter.step ?? null, filter.afterId ?? 0, filter.limit + 1],
  );
  const logs = res.rows.slice(0, filter.limit).map(toLog);
  return { logs, nextAfterId: res.rows.length > filter.limit ? (logs.at(-1)?.id ?? null) : null };
};

/** Every line of a run as NDJSON (at most the bounded 5000 the run keeps). */
export const exportRunLogs = async (db: Queryable, runId: number): Promise<{ lines: number; content: string }> => {
  const res = await db.query('SELECT id, run_id, step, level, message, data, at FROM run_logs WHERE run_id = $1 ORDER BY id', [runId]);
  const logs = res.rows.map(toLog);
  return { lines: logs.length, content: logs.map((l) => JSON.stringify(l)).join('\n') + (logs.length ? '\n' : '') };
};
