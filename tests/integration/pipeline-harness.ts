import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';

import { migratePostgres } from '../../main/migrate/postgres';
import { startRun } from '../../main/engine/runs/start';
import type { Supervisor, SupervisorSettings } from '../../main/supervisor/supervisor';
import { seal, type SecretKey } from '../../shared/lib/secret-box';
import type { ExtractMessage, MessageOf } from '../../shared/queue/messages';
import type { Stage, TopologySettings } from '../../shared/worker-protocol/protocol';
import { runCounters, type StepCounters } from '../../workers/accounting/run-accounting';
import type { SyntheticSettings } from '../../workers/pipeline/synthetic';
import { DeadLetters } from '../../workers/queue/dead-letters';
import type { Publisher } from '../../workers/queue/publisher';
import { waitFor } from './queue-harness';
import { createSupervisorHarness, type SupervisorHarness } from './supervisor-harness';
import { runPicture } from './support/run-picture';
import { createTestDatabase, type TestDatabase } from './support/database';

/**
 * Shared setup for pipeline-*.test.ts: a fresh database (migrated, plus the synthetic connector's
 * target table, which is test schema, not product schema), a private queue namespace, and helpers to
 * start a synthetic run through real worker threads and read back exactly what it produced.
 */

export const STEP = 'items';
const TERMINAL = ['succeeded', 'partial', 'failed', 'cancelled'];

export interface SyntheticRun {
  readonly runId: number;
  readonly integrationId: number;
  readonly firstExtract: ExtractMessage;
}

/** Everything a run left behind, for exact assertions. */
export interface RunOutcome {
  readonly state: string;
  readonly finishedAt: string | null;
  readonly items: number;
  /** Items whose lineage points at a raw unit of this run. */
  readonly itemsWithLineage: number;
  readonly rawUnits: number;
  readonly distinctPages: number;
  readonly byStatus: Record<string, number>;
  readonly counters: StepCounters[];
}

export interface PipelineHarness {
  /** The SQLite raw cache the extract threads write to. */
  readonly cachePath: string;
  readonly pool: pg.Pool;
  readonly queues: SupervisorHarness;
  readonly tenantId: number;
  /** Starts extract/transform/load pools running `handler` against the test database. */
  start(
    handler: string,
    counts?: Partial<Record<Stage, number>>,
    handlerOptions?: Record<string, number>,
    topology?: Omit<TopologySettings, 'prefix'>,
    /** More thread settings, e.g. the vectorize stage's handler and vector settings (merged over the defaults). */
    extra?: Partial<SupervisorSettings>,
  ): Promise<Supervisor>;
  /** Creates a synthetic integration and starts a full-refresh run of it (its first message goes out through the outbox). */
  createRun(settings: SyntheticSettings, connector?: 'synthetic' | 'synthetic_tree'): Promise<SyntheticRun>;
  /** A real integration with its token sealed by the key the extract threads get (see start). */
  createIntegration(options: { provider: 'jira' | 'github'; name: string; baseUrl: string; settings: Record<string, unknown>; token: string }): Promise<number>;
  publish<S extends Stage>(stage: S, message: MessageOf<S>): Promise<void>;
  waitForRunEnd(runId: number, timeoutMs?: number): Promise<string>;
  outcome(run: SyntheticRun): Promise<RunOutcome>;
  deadLetters(): Promise<DeadLetters>;
  cleanup(): Promise<void>;
}

export const createPipelineHarness = async (label: string): Promise<PipelineHarness> => {
  const db: TestDatabase = await createTestDatabase(`pipe_${label}`);
  await migratePostgres(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: 5 });
  await pool.query(`CREATE TABLE synthetic_items (
    tenant_id integer NOT NULL, integration_id bigint NOT NULL, external_id text NOT NULL,
    value text NOT NULL, raw_id bigint NOT NULL, PRIMARY KEY (tenant_id, integration_id, external_id))`);
  // As a product table would be: readable by the tenant role (a re-transform reads its lineage).
  await pool.query('GRANT SELECT ON synthetic_items TO sluice_tenant');
  const tenantId = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Pipeline') RETURNING id")).rows[0]!.id;
  const queues = createSupervisorHarness(`pipe-${label}`);
  // The key extract threads open integration tokens with, as the engine gives them its own.
  const keyBytes = randomBytes(32);
  const secretKey: SecretKey = { id: createHash('sha256').update(keyBytes).digest('hex').slice(0, 8), bytes: new Uint8Array(keyBytes) };
  // The local raw cache the extract threads write every stored page to.
  const cachePath = join(mkdtempSync(join(tmpdir(), `sluice-pipe-${label}-`)), 'raw-cache.sqlite');
  let publisher: Publisher | null = null;
  const publisherOf = async (): Promise<Publisher> => (publisher ??= queues.queues.publisher(await queues.queues.connect()));
  let runs = 0;

  return {
    pool,
    queues,
    tenantId,
    cachePath,
    start: async (handler, counts = { extract: 1, transform: 2, load: 2 }, handlerOptions = {}, topology = {}, extra = {}) => {
      const supervisor = queues.supervisor(counts, {
        ...extra,
        databaseUrl: db.url,
        prefetch: 10,
        handlers: { extract: handler, transform: handler, load: handler, ...extra.handlers },
        handlerOptions,
        rawCachePath: cachePath,
        secretKeys: [{ id: secretKey.id, key: keyBytes.toString('base64') }],
        topology: { prefix: queues.prefix, ...topology },
      });
      supervisor.start();
      await supervisor.waitUntilReady(40_000);
      return supervisor;
    },
    createRun: async (settings, connector = 'synthetic') => {
      runs += 1;
      const integrationId = Number(
        (await pool.query<{ id: string }>(
          "INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'github', $2, 'https://synthetic.invalid', $3) RETURNING id",
          [tenantId, `synthetic ${runs}`, { connector, synthetic: settings }],
        )).rows[0]!.id,
      );
      const { runId } = await startRun(pool, { tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
      const firstExtract: ExtractMessage = { v: 1, kind: 'extract', tenantId, integrationId, runId, stepKey: STEP, stream: STEP, partition: null, cursor: null, attempt: 1 };
      return { runId, integrationId, firstExtract };
    },
    createIntegration: async ({ provider, name, baseUrl, settings, token }) => {
      const id = Number((await pool.query<{ id: string }>('INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, $2, $3, $4, $5) RETURNING id', [tenantId, provider, name, baseUrl, settings])).rows[0]!.id);
      await pool.query('UPDATE integrations SET secret_sealed = $2 WHERE id = $1', [id, await seal(secretKey, token, `integration:${id}`)]);
      if (provider === 'jira') await pool.query('SELECT sluice_seed_jira_mappings($1, $2)', [tenantId, id]);
      return id;
    },
    publish: async (stage, message) => {
      await (await publisherOf()).publishStage(stage, message);
    },
    waitForRunEnd: async (runId, timeoutMs = 40_000) => {
      let state = '';
      try {
        await waitFor(`run ${runId} to end`, async () => {
          state = (await pool.query<{ state: string }>('SELECT state FROM runs WHERE id = $1', [runId])).rows[0]!.state;
          return TERMINAL.includes(state);
        }, timeoutMs);
      } catch (error) {
        // A run that does not end is a bug to diagnose from the failure alone: say where it stands.
        throw new Error(`${(error as Error).message}; it is ${state}. ${await runPicture(pool, runId)}`, { cause: error });
      }
      return state;
    },
    outcome: async ({ runId, integrationId }) => {
      const run = (await pool.query<{ state: string; finished_at: Date | null }>('SELECT state, finished_at FROM runs WHERE id = $1', [runId])).rows[0]!;
      const num = async (sql: string, params: unknown[]): Promise<number> => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);
      const statuses = await pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM raw_extraction_data WHERE run_id = $1 GROUP BY status', [runId]);
      return {
        state: run.state,
        finishedAt: run.finished_at?.toISOString() ?? null,
        items: await num('SELECT count(*) AS n FROM synthetic_items WHERE tenant_id = $1 AND integration_id = $2', [tenantId, integrationId]),
        itemsWithLineage: await num(
          'SELECT count(*) AS n FROM synthetic_items s JOIN raw_extraction_data d ON d.id = s.raw_id WHERE s.integration_id = $1 AND d.run_id = $2',
          [integrationId, runId],
        ),
        rawUnits: await num('SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1', [runId]),
        distinctPages: await num('SELECT count(DISTINCT page_key) AS n FROM raw_extraction_data WHERE run_id = $1', [runId]),
        byStatus: Object.fromEntries(statuses.rows.map((r) => [r.status, Number(r.n)])),
        counters: await runCounters(pool, runId),
      };
    },
    deadLetters: async () => {
      const p = await publisherOf();
      return new DeadLetters(await queues.queues.connect(), p);
    },
    cleanup: async () => {
      await queues.cleanup();
      await pool.end();
      await db.drop();
    },
  };
};

/** A run that ended `succeeded` with every page stored once and every record loaded once, with lineage. */
export const expectExactSuccess = (o: RunOutcome, pages: number, pageSize: number): void => {
  expect(o).toMatchObject({
    state: 'succeeded',
    items: pages * pageSize,
    itemsWithLineage: pages * pageSize,
    rawUnits: pages,
    distinctPages: pages,
    byStatus: { loaded: pages },
  });
  expect(o.counters).toEqual([
    { step: STEP, units: pages, extracted: pages * pageSize, transformed: pages * pageSize, loaded: pages * pageSize, failed: 0, skipped: 0, pending: 0 },
  ]);
};


