import type pg from 'pg';

import type { MethodName } from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';
import type { MappingsChange } from '../../../shared/contract/mappings';
import { settingsSchemaFor } from '../../../shared/connectors/settings';
import type { SecretKey } from '../../../shared/lib/secret-box';
import type { JiraConnection } from '../../../shared/worker-protocol/tasks';
import { asDatabaseError, requirePool } from '../db/pool';
import { readToken } from '../integrations/secrets';
import { readFieldsState, saveFieldMapping, storeDiscovery } from '../mappings/custom-fields';
import { createLevel, deleteLevel, levelDependencies, setLevelActive, updateLevel } from '../mappings/hierarchies';
import { inIntegration, type MappingScope } from '../mappings/scope';
import { readSnapshot } from '../mappings/snapshot';
import { createStatusMapping, deleteStatusMapping, setStatusMappingActive, updateStatusMapping } from '../mappings/status-mappings';
import { readUnmapped } from '../mappings/unmapped';
import { createWitMapping, deleteWitMapping, setWitMappingActive, updateWitMapping } from '../mappings/wit-mappings';
import type { Outcome } from '../mappings/words';
import { createStep, deleteStep, setCommitmentPoint, setStepActive, stepDependencies, updateStep } from '../mappings/workflow';
import { startRetransform } from '../runs/retransform';
import { StartRunError } from '../runs/start';
import type { TaskRunner } from '../tasks';
import type { CallContext, Handlers } from '../types';
import { queueMappingVectors } from '../vectors/mapping-changes';

type MappingMethods = Extract<MethodName, `mappings.${string}`>;

export interface MappingDeps {
  readonly pool: pg.Pool | null;
  readonly tasks: TaskRunner;
  readonly secretKey: () => SecretKey;
  /** Qdrant is configured (the vectorize stage runs): a change queues the vectorize jobs of the rows it wrote. */
  readonly vectorsEnabled?: boolean;
  /** Where a job that could not be queued is reported (the change itself still commits). */
  readonly onVectorsError?: (error: unknown, scope: MappingScope) => void;
}

/**
 * The Mappings hub API (shared/contract/mappings.ts). Every call runs in one transaction scoped to the
 * caller's tenant (RLS) and one of its Jira integrations; the contract validates the input first, and
 * the handlers check what only the database knows (names taken, levels and steps in use, the one
 * commitment point) before writing, so a refused call changes nothing and says what to do.
 */
export const mappingHandlers = (deps: MappingDeps): Pick<Handlers, MappingMethods> => {
  /**
   * The mapping rows are embedded too (issue 10): queue the vectorize jobs of what this change wrote, in
   * its transaction (vectors/mapping-changes.ts). In a savepoint, so a job that cannot be queued is
   * reported and the change still commits: "Re-embed missing" on the Vectors screen catches up.
   */
  const queueVectors = async (client: pg.PoolClient, scope: MappingScope): Promise<void> => {
    if (!deps.vectorsEnabled) return;
    await client.query('SAVEPOINT mapping_vectors');
    try {
      await queueMappingVectors(client, scope);
      await client.query('RELEASE SAVEPOINT mapping_vectors');
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT mapping_vectors');
      deps.onVectorsError?.(error, scope);
    }
  };

  /** A mutation: its outcome and the configuration after it, from the same transaction. */
  const change = <I extends { integrationId: number }>(run: (client: pg.PoolClient, scope: MappingScope, input: I) => Promise<Outcome>) =>
    (input: I, ctx: CallContext): Promise<MappingsChange> =>
      inIntegration(deps.pool, ctx, input.integrationId, async (client, scope) => {
        const outcome = await run(client, scope, input);
        await queueVectors(client, scope);
        return { ...outcome, snapshot: await readSnapshot(client, scope) };
      });

  return {
    'mappings.get': ({ integrationId }, ctx) => inIntegration(deps.pool, ctx, integrationId, readSnapshot),
    'mappings.seedDefaults': change(async (client, scope) => {
      const res = await client.query<{ n: number }>('SELECT sluice_seed_jira_mappings($1, $2) AS n', [scope.tenantId, scope.integrationId]);
      const n = res.rows[0]!.n;
      return {
        id: null,
        message: n > 0 ? `Added ${n} default rows to the tables that were empty. Review them, then re-transform to apply them to the data already loaded.` : 'Nothing added: the defaults only fill tables that are empty, and every table has rows.',
      };
    }),

    'mappings.hierarchies.create': change(createLevel),
    'mappings.hierarchies.update': change(updateLevel),
    'mappings.hierarchies.dependencies': ({ integrationId, id }, ctx) => inIntegration(deps.pool, ctx, integrationId, (client, scope) => levelDependencies(client, scope, id)),
    'mappings.hierarchies.setActive': change(setLevelActive),
    'mappings.hierarchies.delete': change(deleteLevel),

    'mappings.witMappings.create': change(createWitMapping),
    'mappings.witMappings.update': change(updateWitMapping),
    'mappings.witMappings.setActive': change(setWitMappingActive),
    'mappings.witMappings.delete': change(deleteWitMapping),

    'mappings.workflow.create': change(createStep),
    'mappings.workflow.update': change(updateStep),
    'mappings.workflow.setCommitmentPoint': change((client, scope, input: { integrationId: number; id: number }) => setCommitmentPoint(client, scope, input.id)),
    'mappings.workflow.dependencies': ({ integrationId, id }, ctx) => inIntegration(deps.pool, ctx, integrationId, (client, scope) => stepDependencies(client, scope, id)),
    'mappings.workflow.setActive': change(setStepActive),
    'mappings.workflow.delete': change(deleteStep),

    'mappings.statusMappings.create': change(createStatusMapping),
    'mappings.statusMappings.update': change(updateStatusMapping),
    'mappings.statusMappings.setActive': change(setStatusMappingActive),
    'mappings.statusMappings.delete': change(deleteStatusMapping),

    'mappings.customFields.get': ({ integrationId }, ctx) => inIntegration(deps.pool, ctx, integrationId, readFieldsState),
    'mappings.customFields.save': (input, ctx) =>
      inIntegration(deps.pool, ctx, input.integrationId, async (client, scope) => {
        await saveFieldMapping(client, scope, input);
        return readFieldsState(client, scope);
      }),
    'mappings.customFields.discover': async ({ integrationId }, ctx) => {
      const started = Date.now();
      const connection = await jiraConnection(deps, ctx, integrationId);
      // The API call runs outside any transaction: a slow Jira must not hold row locks.
      const found = await deps.tasks.run('jira.fields', { connection });
      return inIntegration(deps.pool, ctx, integrationId, async (client, scope) => {
        const stored = await storeDiscovery(client, scope, found, `${ctx.principal} (custom-field discovery)`);
        const state = await readFieldsState(client, scope);
        return { discovery: { fields: found.rows.length, added: stored.added, changed: stored.changed, runId: stored.runId, rawId: stored.rawId, durationMs: Date.now() - started }, state };
      });
    },

    'mappings.unmapped': ({ integrationId }, ctx) => inIntegration(deps.pool, ctx, integrationId, readUnmapped),
    'mappings.retransform': async ({ integrationId }, ctx) => {
      await inIntegration(deps.pool, ctx, integrationId, async () => undefined);
      try {
        return await startRetransform(requirePool(deps.pool), { tenantId: ctx.tenantId!, integrationId, trigger: 'manual', startedBy: ctx.principal });
      } catch (error) {
        if (error instanceof StartRunError) {
          const code = error.reason === 'not_found' ? 'not_found' : error.reason === 'no_plan' ? 'bad_request' : 'conflict';
          throw new ApiError(code, `Re-transform not started: ${error.message}`);
        }
        throw asDatabaseError(error);
      }
    },
  };
};

/** The saved integration as a task connection (settings re-validated, token opened), or a clear refusal. */
const jiraConnection = async (deps: MappingDeps, ctx: CallContext, integrationId: number): Promise<JiraConnection> => {
  const saved = await inIntegration(deps.pool, ctx, integrationId, async (client, scope) => {
    const res = await client.query<{ base_url: string; settings: Record<string, unknown> }>('SELECT base_url, settings FROM integrations WHERE id = $1', [integrationId]);
    return { scope, ...res.rows[0]! };
  });
  const settings = settingsSchemaFor('jira')?.safeParse(saved.settings);
  if (!settings?.success) {
    throw new ApiError('bad_request', `The stored settings of "${saved.scope.integrationName}" are not valid for Jira; open it on the Integrations screen, fix the settings and save.`);
  }
  const token = await readToken(requirePool(deps.pool), saved.scope.tenantId, integrationId, deps.secretKey(), saved.scope.integrationName);
  return { provider: 'jira', baseUrl: saved.base_url, settings: settings.data, token } as JiraConnection;
};
