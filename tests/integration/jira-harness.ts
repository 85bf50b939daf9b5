import pg from 'pg';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { migratePostgres } from '../../main/migrate/postgres';
import type { World } from '../../simulators';
import type { IntegrationInfo, TransformOutput } from '../../workers/pipeline/connector';
import { loadJira, type LoadSummary } from '../../workers/connectors/jira/load';
import { loadJiraMappings } from '../../workers/connectors/jira/mappings';
import { transformJira, type JiraMappings } from '../../workers/connectors/jira/transform';
import { createTestDatabase, type TestDatabase } from './support/database';

/** A fresh database with the migrations, one tenant and one seeded Jira integration, and helpers to transform and load. */
export interface JiraDb {
  readonly db: TestDatabase;
  readonly pool: pg.Pool;
  readonly integration: IntegrationInfo;
  /** The mappings snapshot of an integration (default: the first one), as a run reads it. */
  mappings(integration?: IntegrationInfo): Promise<JiraMappings>;
  transform(stream: string, payload: unknown, partition?: string | null, mappings?: JiraMappings): TransformOutput;
  /** Loads as the load stage does: one transaction in the tenant's RLS scope (the tenant role, so grants are tested too). */
  load(output: TransformOutput, rawId: number, integration?: IntegrationInfo): Promise<LoadSummary>;
  /** Rows of a table without surrogate ids and row timestamps, in key order: what a load decides. */
  snapshot(table: string, orderBy?: string): Promise<Record<string, unknown>[]>;
  addIntegration(name: string): Promise<IntegrationInfo>;
  close(): Promise<void>;
}

export const openJiraDb = async (prefix: string): Promise<JiraDb> => {
  const db = await createTestDatabase(prefix);
  await migratePostgres(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const tenantId = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Acme') RETURNING id")).rows[0]!.id;
  const addIntegration = async (name: string): Promise<IntegrationInfo> => {
    const id = Number((await pool.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url) VALUES ($1, 'jira', $2, 'https://acme.atlassian.net') RETURNING id", [tenantId, name])).rows[0]!.id);
    await pool.query('SELECT sluice_seed_jira_mappings($1, $2)', [tenantId, id]);
    return { id, tenantId, provider: 'jira', baseUrl: 'https://acme.atlassian.net', settings: {} };
  };
  const integration = await addIntegration('Acme Jira');
  return {
    db,
    pool,
    integration,
    addIntegration,
    mappings: (target = integration) => withTenant(pool, tenantId, (c) => loadJiraMappings(c, target)),
    transform: (stream, payload, partition = null, mappings) =>
      transformJira(payload, { tenantId, integrationId: integration.id, step: stream, stream, partition, integration, ...(mappings ? { mappings } : {}) }),
    load: (output, rawId, target = integration) => withTenant(pool, tenantId, (c) => loadJira(c, output, { rawId, tenantId, integrationId: target.id })),
    snapshot: async (table, orderBy = '1') => {
      const { rows } = await pool.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${orderBy}`);
      return rows.map(({ id: _id, created_at: _c, updated_at: _u, ...rest }) => rest);
    },
    close: async () => {
      await pool.end();
      await db.drop();
    },
  };
};

/** The `names` and `schema` maps a search with expand=names,schema returns for these issues. */
export const namesAndSchema = (world: World, issues: readonly { fields: Record<string, unknown> }[]): { names: Record<string, string>; schema: Record<string, unknown> } => {
  const used = new Set(issues.flatMap((i) => Object.keys(i.fields)));
  const names: Record<string, string> = {};
  const schema: Record<string, unknown> = {};
  for (const f of world.jira.fields) {
    const id = String(f.id);
    if (!used.has(id)) continue;
    names[id] = String(f.name);
    if (f.schema) schema[id] = f.schema;
  }
  return { names, schema };
};

/** An `issues` unit built from world issues, whose stored changelogs are whole (as after the extract fetched every page). */
export const issuesUnit = (world: World, issues: World['jira']['issues']): unknown => ({ search: { issues, isLast: true, ...namesAndSchema(world, issues) }, changelogs: {} });
