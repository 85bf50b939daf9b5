import pg from 'pg';
import { z } from 'zod';

import type { IntegrationInfo } from './connector';

/**
 * The SQL of the pipeline stage handlers: raw units (`raw_extraction_data`) and what the handlers
 * read about runs and integrations. Every status change is guarded by the status it moves from, so a
 * redelivered message matches nothing and changes (and counts) nothing.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

const pools = new Map<string, pg.Pool>();

/**
 * One pool per worker thread and database. `allowExitOnIdle` lets a drained thread end without
 * closing it; idle-client errors (a Postgres restart) are ignored here because the next query fails
 * and the message is retried.
 */
export const threadPool = (databaseUrl: string, max: number): pg.Pool => {
  let pool = pools.get(databaseUrl);
  if (!pool) {
    pool = new pg.Pool({ connectionString: databaseUrl, max, allowExitOnIdle: true, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => undefined);
    // pg-pool listens for 'error' only on idle clients. A client checked out by `pool.query` when
    // Postgres goes away (restart, failover) emits an 'error' nobody handles, which would end the
    // worker thread; its query fails with the same error and is retried, and the pool discards it.
    pool.on('connect', (client) => client.on('error', () => undefined));
    pools.set(databaseUrl, pool);
  }
  return pool;
};

/**
 * Runs `fn` in one transaction acting for `tenantId` (sets `sluice.tenant_id` for RLS-aware SQL).
 * The engine's `withTenant` (main/engine/db/tenant-scope.ts) is its sibling; workers may not import
 * main/ (DESIGN.md section 2), and this one also survives a connection dying mid-transaction.
 */
export const inTransaction = async <T>(pool: pg.Pool, tenantId: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
  const client = await pool.connect();
  // A checked-out client has no pool listener on 'error': if its connection dies now (Postgres
  // restarted), pg emits an unhandled 'error' that would end the worker thread. The running query
  // fails with the same error, so note it, let the message be retried, and destroy the client.
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    if (!Number.isSafeInteger(tenantId) || tenantId <= 0) throw new Error(`invalid tenant id ${String(tenantId)}`);
    // One round trip for both (a validated integer, so it can be inlined): loads are many small transactions.
    await client.query(`BEGIN; SELECT set_config('sluice.tenant_id', '${tenantId}', true)`);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
};

const Integration = z.object({
  integration_id: z.coerce.number(),
  tenant_id: z.coerce.number(),
  provider: z.string(),
  base_url: z.string(),
  settings: z.record(z.string(), z.unknown()),
});
const integrationOf = (row: z.infer<typeof Integration>): IntegrationInfo => ({
  id: row.integration_id,
  tenantId: row.tenant_id,
  provider: row.provider,
  baseUrl: row.base_url,
  settings: row.settings,
});

const RunRow = Integration.extend({ state: z.string(), kind: z.string(), has_mappings: z.boolean() });
export interface RunInfo {
  readonly state: string;
  readonly kind: string;
  /** Whether the run already has its mappings snapshot (runs.mappings). */
  readonly hasMappings: boolean;
  readonly integration: IntegrationInfo;
}

const ExtractContextRow = RunRow.extend({
  partition_step: z.string().nullable(),
  cursor: z.string().nullable(),
  watermark_from: z.date().nullable(),
  partition_done: z.boolean().nullable(),
  stored_id: z.coerce.number().nullable(),
  stored_status: z.string().nullable(),
  stored_next_cursor: z.string().nullable(),
  secret_sealed: z.string().nullable(),
});

export interface ExtractContext {
  readonly run: RunInfo;
  /** null when the run has no such partition of the stream (a wrong or stale message). */
  readonly partition: { readonly step: string; readonly cursor: string | null; readonly watermarkFrom: string | null; readonly done: boolean } | null;
  /** The page this run already stored under the page key (a redelivery or a duplicate chain). */
  readonly stored: { readonly id: number; readonly status: string; readonly nextCursor: string | null } | null;
  /** The integration's sealed token (opened only by the extract thread that calls the API). */
  readonly secretSealed: string | null;
}

/**
 * Everything extract reads before fetching a page, in one query (the run, its integration, the
 * partition and the page if already stored): under load every round trip counts, and a page is paid
 * for in round trips more than in bytes. Null when the run does not exist.
 */
export const readExtractContext = async (db: Queryable, runId: number, stream: string, partition: string, pageKey: string): Promise<ExtractContext | null> => {
  const res = await db.query(
    `SELECT r.state, r.kind, r.mappings IS NOT NULL AS has_mappings, i.id AS integration_id, i.tenant_id, i.provider, i.base_url, i.settings,
            s.step AS partition_step, p.cursor, p.watermark_from, p.done_at IS NOT NULL AS partition_done,
            d.id AS stored_id, d.status AS stored_status, d.next_cursor AS stored_next_cursor, i.secret_sealed
       FROM runs r
       JOIN integrations i ON i.id = r.integration_id AND i.tenant_id = r.tenant_id
       LEFT JOIN run_partitions p ON p.run_id = r.id AND p.stream = $2 AND p.partition = $3
       LEFT JOIN run_streams s ON s.run_id = r.id AND s.stream = $2
       LEFT JOIN raw_extraction_data d ON d.run_id = r.id AND d.step = s.step AND d.stream = $2 AND d.page_key = $4
      WHERE r.id = $1`,
    [runId, stream, partition, pageKey],
  );
  if (res.rowCount === 0) return null;
  const row = ExtractContextRow.parse(res.rows[0]);
  return {
    run: { state: row.state, kind: row.kind, hasMappings: row.has_mappings, integration: integrationOf(row) },
    partition: row.partition_step === null || row.partition_done === null ? null : { step: row.partition_step, cursor: row.cursor, watermarkFrom: row.watermark_from?.toISOString() ?? null, done: row.partition_done },
    stored: row.stored_id === null ? null : { id: row.stored_id, status: row.stored_status ?? 'pending', nextCursor: row.stored_next_cursor },
    secretSealed: row.secret_sealed,
  };
};

/** The run's state and its integration; null when the run does not exist. */
export const readRun = async (db: Queryable, runId: number): Promise<RunInfo | null> => {
  const res = await db.query(
    `SELECT r.state, r.kind, r.mappings IS NOT NULL AS has_mappings, i.id AS integration_id, i.tenant_id, i.provider, i.base_url, i.settings
       FROM runs r JOIN integrations i ON i.id = r.integration_id AND i.tenant_id = r.tenant_id
      WHERE r.id = $1`,
    [runId],
  );
  if (res.rowCount === 0) return null;
  const row = RunRow.parse(res.rows[0]);
  return { state: row.state, kind: row.kind, hasMappings: row.has_mappings, integration: integrationOf(row) };
};

export interface NewUnit {
  readonly tenantId: number;
  readonly integrationId: number;
  readonly runId: number;
  readonly step: string;
  readonly stream: string;
  readonly parentKey: string | null;
  readonly pageKey: string;
  readonly requestUrl: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly payload: unknown;
  readonly recordCount: number;
  /** Where the partition's next page starts; null on its last page. */
  readonly nextCursor: string | null;
  /** Incremental streams: the page's highest cursor-field value (ISO). */
  readonly watermark: string | null;
}

/**
 * Inserts the unit unless this run, step and stream already have its page (a redelivered extract);
 * returns the unit's id either way, and whether this call created it.
 */
export const insertUnit = async (db: Queryable, unit: NewUnit): Promise<{ rawId: number; inserted: boolean }> => {
  const payload = JSON.stringify(unit.payload);
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO raw_extraction_data
       (tenant_id, integration_id, run_id, step, stream, parent_key, page_key, request_url, request_params, payload, payload_bytes, record_count, next_cursor, watermark)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $13, $14)
     ON CONFLICT (run_id, step, stream, page_key) WHERE page_key <> '' DO NOTHING
     RETURNING id`,
    [unit.tenantId, unit.integrationId, unit.runId, unit.step, unit.stream, unit.parentKey, unit.pageKey, unit.requestUrl, JSON.stringify(unit.params), payload, Buffer.byteLength(payload), unit.recordCount, unit.nextCursor, unit.watermark],
  );
  if (inserted.rows[0]) return { rawId: Number(inserted.rows[0].id), inserted: true };
  const existing = await db.query<{ id: string }>(
    'SELECT id FROM raw_extraction_data WHERE run_id = $1 AND step = $2 AND stream = $3 AND page_key = $4',
    [unit.runId, unit.step, unit.stream, unit.pageKey],
  );
  const id = existing.rows[0]?.id;
  if (id === undefined) throw new Error(`Raw unit ${unit.pageKey} of run ${unit.runId} conflicted on insert but cannot be read back; the message will be retried.`);
  return { rawId: Number(id), inserted: false };
};

const UnitRow = Integration.extend({
  id: z.coerce.number(),
  source_id: z.coerce.number(),
  run_id: z.coerce.number(),
  run_state: z.string(),
  step: z.string(),
  stream: z.string(),
  parent_key: z.string().nullable(),
  status: z.enum(['pending', 'transformed', 'loaded', 'failed', 'skipped']),
  payload: z.unknown(),
  transformed: z.unknown(),
});
export interface Unit {
  readonly id: number;
  /**
   * The unit whose payload this is: itself, or for a re-transform copy the original unit. It is the
   * lineage (and version) of the rows loaded from it.
   */
  readonly sourceId: number;
  readonly runId: number;
  readonly runState: string;
  readonly step: string;
  readonly stream: string;
  readonly parentKey: string | null;
  readonly status: z.infer<typeof UnitRow>['status'];
  readonly payload: unknown;
  readonly transformed: unknown;
  readonly integration: IntegrationInfo;
}

/** A unit with its integration; `lock` takes a row lock (inside a transaction) so two loads of it serialise. */
export const readUnit = async (db: Queryable, rawId: number, lock = false): Promise<Unit | null> => {
  const res = await db.query(
    `SELECT d.id, coalesce(d.replay_of, d.id) AS source_id, d.run_id, r.state AS run_state, d.step, d.stream, d.parent_key, d.status,
            coalesce(src.payload, d.payload) AS payload, d.transformed,
            i.id AS integration_id, i.tenant_id, i.provider, i.base_url, i.settings
       FROM raw_extraction_data d
       JOIN integrations i ON i.id = d.integration_id AND i.tenant_id = d.tenant_id
       JOIN runs r ON r.id = d.run_id
       LEFT JOIN raw_extraction_data src ON src.id = d.replay_of
      WHERE d.id = $1${lock ? ' FOR UPDATE OF d' : ''}`,
    [rawId],
  );
  if (res.rowCount === 0) return null;
  const row = UnitRow.parse(res.rows[0]);
  return {
    id: row.id,
    sourceId: row.source_id,
    runId: row.run_id,
    runState: row.run_state,
    step: row.step,
    stream: row.stream,
    parentKey: row.parent_key,
    status: row.status,
    payload: row.payload,
    transformed: row.transformed,
    integration: integrationOf(row),
  };
};

/** pending|transformed → skipped: the run was cancelled, so its queued work is dropped, not processed. */
export const markSkipped = async (db: Queryable, rawId: number): Promise<boolean> => {
  const res = await db.query(
    `UPDATE raw_extraction_data SET status = 'skipped', transformed = NULL, error = jsonb_build_object('reason', 'run_cancelled', 'at', now())
      WHERE id = $1 AND status IN ('pending', 'transformed')`,
    [rawId],
  );
  return res.rowCount === 1;
};

/** pending → transformed, keeping the output for load. False when the unit had moved on. */
export const markTransformed = async (db: Queryable, rawId: number, output: unknown): Promise<boolean> => {
  const res = await db.query(
    `UPDATE raw_extraction_data SET status = 'transformed', transformed = $2::jsonb, attempts = attempts + 1
      WHERE id = $1 AND status = 'pending'`,
    [rawId, JSON.stringify(output)],
  );
  return res.rowCount === 1;
};

/** transformed → loaded, dropping the output it no longer needs. */
export const markLoaded = async (db: Queryable, rawId: number): Promise<boolean> => {
  const res = await db.query(
    `UPDATE raw_extraction_data SET status = 'loaded', transformed = NULL, attempts = attempts + 1
      WHERE id = $1 AND status = 'transformed'`,
    [rawId],
  );
  return res.rowCount === 1;
};

export interface UnitError {
  readonly name: string;
  readonly message: string;
  readonly stage: 'extract' | 'transform' | 'load';
  readonly reason: 'permanent_error' | 'retries_exhausted';
  /** The API's HTTP status, when the failure was an API answer. */
  readonly status?: number;
}

/**
 * A page whose fetch gave up is stored too, as a `failed` unit holding the request and the error
 * (the payload is `{ "error": ... }`): it is counted as failed, the run ends `partial`, and the
 * inspector shows why. Idempotent on the page key, like any unit.
 */
export const insertFailedUnit = async (
  db: Queryable,
  unit: Omit<NewUnit, 'payload' | 'recordCount' | 'nextCursor' | 'watermark'>,
  error: UnitError,
): Promise<void> => {
  const detail = { ...error, message: error.message.slice(0, 4000), at: new Date().toISOString() };
  const payload = JSON.stringify({ error: detail });
  await db.query(
    `INSERT INTO raw_extraction_data
       (tenant_id, integration_id, run_id, step, stream, parent_key, page_key, request_url, request_params, payload, payload_bytes, record_count, status, error, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, 0, 'failed', $10::jsonb -> 'error', 1)
     ON CONFLICT (run_id, step, stream, page_key) WHERE page_key <> '' DO NOTHING`,
    [unit.tenantId, unit.integrationId, unit.runId, unit.step, unit.stream, unit.parentKey, unit.pageKey, unit.requestUrl, JSON.stringify(unit.params), payload, Buffer.byteLength(payload)],
  );
};

/** pending|transformed → failed with the error, in one statement. False when the unit had moved on. */
export const markFailed = async (db: Queryable, rawId: number, error: UnitError): Promise<boolean> => {
  const res = await db.query(
    `UPDATE raw_extraction_data SET status = 'failed', transformed = NULL, attempts = attempts + 1, error = $2::jsonb
      WHERE id = $1 AND status IN ('pending', 'transformed')`,
    [rawId, JSON.stringify({ ...error, message: error.message.slice(0, 4000), at: new Date().toISOString() })],
  );
  return res.rowCount === 1;
};
