/**
 * What the GitHub connector tests share: fetching every page of a simulated world through the
 * connector's own queries and continuation helpers (a plain loop; the real extract is the pipeline's),
 * and loading units into a real Postgres the way the load handler does (one transaction per unit,
 * tenant role and RLS on, the transform output round-tripped through JSON as it is stored).
 */
import pg from 'pg';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { migratePostgres } from '../../main/migrate/postgres';
import type { RunningSimulator } from '../../simulators';
import { nestedPageNext, nextPrPageCursor, prPageContinuations, type Continuation } from '../../workers/connectors/github/continuations';
import { nestedRequest, parseNestedPartition, PR_PAGE_QUERY, prPageVariables, type NestedConnection } from '../../workers/connectors/github/graphql/queries';
import { loadGithub } from '../../workers/connectors/github/load';
import { transformGithub } from '../../workers/connectors/github/transform';
import type { TransformOutput } from '../../workers/pipeline/connector';
import { createTestDatabase, type TestDatabase } from './support/database';

export interface Unit {
  readonly stream: 'repositories' | 'pull_requests' | 'pr_nested';
  readonly partition: string | null;
  readonly payload: unknown;
}

export interface FetchOptions {
  readonly pageSize: number;
  readonly nestedPageSize?: number;
  readonly threadCommentsPageSize?: number;
  /** Incremental: per repository (`owner/name`), stop paging at PRs updated before its watermark. */
  readonly watermarks?: Readonly<Record<string, string | null>>;
  /** Only these repositories (`owner/name`); default every repository the search finds. */
  readonly repositories?: readonly string[];
}

const post = async (sim: RunningSimulator, query: string, variables: object): Promise<unknown> => {
  const res = await fetch(`${sim.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { errors?: unknown };
  if (res.status !== 200 || body.errors !== undefined) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body;
};

const getJson = async (sim: RunningSimulator, path: string): Promise<unknown> => {
  const res = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${sim.token}` } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

/** Every unit of a full (or incremental) run, in fetch order; nested pages counted per connection. */
export const fetchWorld = async (sim: RunningSimulator, options: FetchOptions): Promise<{ units: Unit[]; nestedPages: Record<NestedConnection, number> }> => {
  const units: Unit[] = [];
  const org = sim.world.meta.organization;
  let repos: string[] = [];
  for (let page = 1; ; page += 1) {
    const body = (await getJson(sim, `/search/repositories?q=${encodeURIComponent(`org:${org}`)}&per_page=100&page=${page}`)) as { items: { full_name: string }[] };
    units.push({ stream: 'repositories', partition: null, payload: body });
    repos.push(...body.items.map((r) => r.full_name));
    if (body.items.length < 100) break;
  }
  if (options.repositories) repos = repos.filter((r) => options.repositories!.includes(r));

  const nested: Continuation[] = [];
  for (const fullName of repos) {
    let cursor: string | null = null;
    do {
      const variables = prPageVariables({ fullName, cursor, pageSize: options.pageSize, nestedPageSize: options.nestedPageSize, threadCommentsPageSize: options.threadCommentsPageSize });
      const payload = await post(sim, PR_PAGE_QUERY, variables);
      units.push({ stream: 'pull_requests', partition: fullName, payload });
      nested.push(...prPageContinuations(payload));
      cursor = nextPrPageCursor(payload, options.watermarks?.[fullName] ?? null);
    } while (cursor !== null);
  }

  const nestedPages = { commits: 0, reviews: 0, comments: 0, reviewThreads: 0, threadComments: 0 };
  const nestedSize = options.nestedPageSize ?? options.pageSize;
  for (let guard = 0; nested.length > 0; guard += 1) {
    if (guard > 100_000) throw new Error('nested paging does not end');
    const { partition, cursor } = nested.shift()!;
    const request = nestedRequest(partition, cursor, nestedSize, options.threadCommentsPageSize);
    const payload = await post(sim, request.query, request.variables);
    units.push({ stream: 'pr_nested', partition, payload });
    nestedPages[parseNestedPartition(partition).connection] += 1;
    const next = nestedPageNext(payload, partition);
    nested.push(...next.children);
    if (next.cursor !== null) nested.push({ partition, cursor: next.cursor });
  }
  return { units, nestedPages };
};

export interface GithubDb {
  readonly db: TestDatabase;
  readonly pool: pg.Pool;
  readonly tenantId: number;
  readonly integrationId: number;
  end(): Promise<void>;
}

export const createGithubDb = async (prefix: string, poolSize = 4): Promise<GithubDb> => {
  const db = await createTestDatabase(prefix);
  await migratePostgres(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: poolSize });
  const tenantId = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('GitHub load') RETURNING id")).rows[0]!.id;
  const integrationId = Number(
    (await pool.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url) VALUES ($1, 'github', 'GitHub', 'https://api.github.com') RETURNING id", [tenantId])).rows[0]!.id,
  );
  return {
    db,
    pool,
    tenantId,
    integrationId,
    end: async () => {
      await pool.end();
      await db.drop();
    },
  };
};

/** The transform output as the pipeline stores it (JSON) until load. */
export const transformUnit = (unit: Unit): TransformOutput => JSON.parse(JSON.stringify(transformGithub(unit.payload, { stream: unit.stream, partition: unit.partition }))) as TransformOutput;

/** Loads one unit as raw unit `rawId`, in its own transaction as the tenant. */
export const loadUnit = async (g: GithubDb, output: TransformOutput, rawId: number): Promise<void> =>
  withTenant(g.pool, g.tenantId, (client) => loadGithub(client, output, { rawId, tenantId: g.tenantId, integrationId: g.integrationId }));

export const GITHUB_TABLES = ['repositories', 'prs', 'prs_commits', 'prs_reviews', 'prs_review_threads', 'prs_comments', 'work_items_prs_links'] as const;

export const truncateGithub = async (g: GithubDb): Promise<void> => {
  await g.pool.query(`TRUNCATE ${GITHUB_TABLES.join(', ')}`);
};

/**
 * Every row of every GitHub table, without surrogate ids and Sluice's own timestamps, in key order:
 * two dumps are equal when the loaded data is. `withVersions` adds each tuple's xmin, which changes
 * whenever a row is rewritten, even to the same values.
 */
export const dumpGithub = async (g: GithubDb, withVersions = false): Promise<Record<string, unknown[]>> => {
  const out: Record<string, unknown[]> = {};
  for (const table of GITHUB_TABLES) {
    const { rows } = await g.pool.query<Record<string, unknown>>(`SELECT t.*, t.xmin::text AS xmin FROM ${table} t ORDER BY to_jsonb(t) - 'id' - 'created_at' - 'updated_at'`);
    out[table] = rows.map(({ id: _id, created_at: _c, updated_at: _u, xmin, ...rest }) => (withVersions ? { ...rest, xmin } : rest));
  }
  return out;
};
