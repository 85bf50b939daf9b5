import pg from 'pg';

import type { TaskOutput, TaskParsedInput } from '../../shared/worker-protocol/tasks';
import type { IntegrationInfo } from '../pipeline/connector';
import { connectorFor } from '../pipeline/connectors';

/**
 * `transform.preview`: the connector's real transform on raw payloads, with the integration's current
 * mappings read as a run would snapshot them, and no write anywhere. One failing unit reports its
 * error and does not stop the others.
 */

const readIntegration = async (client: pg.Client, integrationId: number): Promise<IntegrationInfo> => {
  const res = await client.query<{ id: string; tenant_id: number; provider: string; base_url: string; settings: Record<string, unknown> }>(
    'SELECT id, tenant_id, provider, base_url, settings FROM integrations WHERE id = $1',
    [integrationId],
  );
  const row = res.rows[0];
  if (!row) throw new Error(`Integration ${integrationId} does not exist in this database; pass the id shown on the Integrations screen.`);
  return { id: Number(row.id), tenantId: row.tenant_id, provider: row.provider, baseUrl: row.base_url, settings: row.settings };
};

/** The mappings as a run of that integration would snapshot them, read in the tenant's RLS scope. */
const mappingsOf = async (databaseUrl: string, integrationId: number, connectorName: string): Promise<{ mappings: unknown; integration: IntegrationInfo }> => {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const integration = await readIntegration(client, integrationId);
    const connector = connectorFor(integration);
    if (connector.name !== connectorName) throw new Error(`Integration ${integrationId} uses the ${connector.name} connector, not ${connectorName}; pass --provider ${connector.name}.`);
    await client.query('BEGIN READ ONLY');
    await client.query("SELECT set_config('sluice.tenant_id', $1, true)", [String(integration.tenantId)]);
    const mappings = connector.loadMappings ? await connector.loadMappings(client, integration) : undefined;
    await client.query('COMMIT');
    return { mappings, integration };
  } finally {
    await client.end().catch(() => undefined);
  }
};

export const transformPreview = async (input: TaskParsedInput<'transform.preview'>): Promise<TaskOutput<'transform.preview'>> => {
  const fallback: IntegrationInfo = { id: 1, tenantId: 1, provider: input.connector, baseUrl: 'https://preview.invalid', settings: {} };
  const { mappings, integration } = input.mappingsFrom
    ? await mappingsOf(input.mappingsFrom.databaseUrl, input.mappingsFrom.integrationId, input.connector)
    : { mappings: undefined, integration: fallback };
  const connector = connectorFor(integration);
  const units = input.units.map((unit) => {
    try {
      const output = connector.transform(unit.payload, {
        tenantId: integration.tenantId,
        integrationId: integration.id,
        step: unit.stream,
        stream: unit.stream,
        partition: unit.partition,
        integration,
        ...(mappings !== undefined ? { mappings } : {}),
      });
      // The stored form: JSON, as the pipeline keeps it between transform and load.
      return { tables: JSON.parse(JSON.stringify(output.tables)) as Record<string, Record<string, unknown>[]>, error: null };
    } catch (error) {
      return { tables: {}, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  });
  return { mappingsUsed: mappings !== undefined, units };
};
