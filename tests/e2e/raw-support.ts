import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { createTestDatabase, type TestDatabase } from '../integration/support/database';
import { apiOf, startServe, type ServeProcess } from './support/serve';

/**
 * Helpers of the raw inspector specs: a private RabbitMQ vhost (the embedded workers of the spec's
 * `sluice serve` must not share queues with anything else on the machine), the HTTP API, and the
 * synthetic connector's integration (its `settings.synthetic.suffix` stands in for a mapping; the
 * integrations API only takes Jira and GitHub settings, so the spec writes it in Postgres).
 */

export interface PrivateVhost {
  readonly amqpUrl: string;
  readonly managementUrl: string;
  drop(): Promise<void>;
}

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the e2e suite through \`npm test -- e2e\` or load the dev stack's environment.`);
  return v;
};

export const privateVhost = async (label: string): Promise<PrivateVhost> => {
  const management = new URL(env('RABBITMQ_MANAGEMENT_URL'));
  const user = decodeURIComponent(management.username);
  const auth = `Basic ${Buffer.from(`${user}:${decodeURIComponent(management.password)}`).toString('base64')}`;
  const vhost = `sluice-e2e-${label}-${randomBytes(3).toString('hex')}`;
  const call = async (method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${management.origin}${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!res.ok && !(method === 'DELETE' && res.status === 404)) throw new Error(`RabbitMQ management ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  };
  await call('PUT', `/api/vhosts/${encodeURIComponent(vhost)}`, {});
  await call('PUT', `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, { configure: '.*', write: '.*', read: '.*' });
  const amqp = new URL(env('RABBITMQ_URL'));
  amqp.pathname = `/${encodeURIComponent(vhost)}`;
  return { amqpUrl: amqp.toString(), managementUrl: management.toString(), drop: () => call('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`) };
};

/** The HTTP call helper lives with startServe; re-exported for the raw specs. */
export { apiOf };

/** The synthetic connector's load table (test schema, not product schema), readable by tenant scopes. */
export const createSyntheticTable = async (admin: pg.Client): Promise<void> => {
  await admin.query(`CREATE TABLE IF NOT EXISTS synthetic_items (
    tenant_id integer NOT NULL, integration_id bigint NOT NULL, external_id text NOT NULL, value text NOT NULL, raw_id bigint NOT NULL,
    PRIMARY KEY (tenant_id, integration_id, external_id))`);
  await admin.query('GRANT SELECT, INSERT, UPDATE, DELETE ON synthetic_items TO sluice_tenant');
};

export const createSyntheticIntegration = async (admin: pg.Client, tenantId: number, synthetic: Record<string, unknown>, name = 'Synthetic source'): Promise<number> =>
  Number(
    (
      await admin.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'github', $2, 'https://synthetic.invalid', $3) RETURNING id", [
        tenantId,
        name,
        { connector: 'synthetic', synthetic },
      ])
    ).rows[0]!.id,
  );

export const setSuffix = (admin: pg.Client, integrationId: number, suffix: string) =>
  admin.query(`UPDATE integrations SET settings = jsonb_set(settings, '{synthetic,suffix}', to_jsonb($2::text)) WHERE id = $1`, [integrationId, suffix]);

/** Polls the run until it ends; its final state. */
export const waitForRun = async (api: ReturnType<typeof apiOf>, tenantId: number, runId: number, timeoutMs = 60_000): Promise<string> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await api<{ state: string }>('runs.get', { id: runId }, tenantId);
    if (['succeeded', 'partial', 'failed', 'cancelled'].includes(run.state)) return run.state;
    if (Date.now() > until) throw new Error(`run ${runId} is still ${run.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
};

/** Script for page.evaluate (a string: this file compiles without DOM types) that preselects the tenant. */
export const selectTenantScript = (tenantId: number): string =>
  `localStorage.setItem('sluice.prefs', ${JSON.stringify(JSON.stringify({ state: { theme: 'system', selectedTenantId: tenantId }, version: 1 }))})`;

/** A spec's own `sluice serve`: its database, a private vhost, embedded workers, the synthetic table and tenant "Acme". */
export interface RawConsole {
  readonly db: TestDatabase;
  readonly vhost: PrivateVhost;
  readonly serve: ServeProcess;
  readonly api: ReturnType<typeof apiOf>;
  /** The database as its owner (the spec writes what the API does not take: the synthetic integration, its mapping). */
  readonly admin: pg.Client;
  readonly tenantId: number;
  stop(): Promise<void>;
}

export const startRawConsole = async (label: string): Promise<RawConsole> => {
  const db = await createTestDatabase(`e2e_${label}`);
  const vhost = await privateVhost(label);
  const serve = await startServe({ DATABASE_URL: db.url, RABBITMQ_URL: vhost.amqpUrl, RABBITMQ_MANAGEMENT_URL: vhost.managementUrl, SLUICE_WORKERS: 'extract=1,transform=1,load=1' });
  const api = apiOf(serve);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await createSyntheticTable(admin);
  const tenantId = (await api<{ id: number }>('tenants.create', { name: 'Acme' })).id;
  return {
    db,
    vhost,
    serve,
    api,
    admin,
    tenantId,
    stop: async () => {
      await serve.stop();
      await admin.end();
      await vhost.drop();
      await db.drop();
    },
  };
};
