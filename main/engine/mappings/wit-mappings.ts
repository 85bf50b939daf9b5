import type pg from 'pg';

import type { MethodParsedInput } from '../../../shared/contract/api';
import type { MappingScope } from './scope';
import { APPLIES, notFound, plural, refuse, type Outcome } from './words';

/**
 * Work item type mappings (wits_mappings): a Jira type name (matched ignoring case) to a unified type
 * and a hierarchy level. A mapping that loaded work items use is soft-deleted (deactivated): its
 * history stays readable and it can be brought back; one nothing uses is removed.
 */

interface MappingRow {
  id: string;
  wit_from: string;
  active: boolean;
}

const lockMapping = async (client: pg.PoolClient, integrationId: number, id: number): Promise<MappingRow> => {
  const res = await client.query<MappingRow>('SELECT id, wit_from, active FROM wits_mappings WHERE integration_id = $1 AND id = $2 FOR UPDATE', [integrationId, id]);
  const row = res.rows[0];
  if (!row) throw notFound('Type mapping', id);
  return row;
};

/** The level must be one of this integration's, and active (runs ignore mappings of inactive levels). */
const checkLevel = async (client: pg.PoolClient, integrationId: number, hierarchyId: number): Promise<{ level_name: string }> => {
  const res = await client.query<{ level_name: string; active: boolean }>('SELECT level_name, active FROM wits_hierarchies WHERE integration_id = $1 AND id = $2 FOR SHARE', [
    integrationId,
    hierarchyId,
  ]);
  const level = res.rows[0];
  if (!level) throw refuse('bad_request', `Not saved: level ${hierarchyId} does not exist in this integration; choose one from the list.`, 'hierarchyId', 'no such level in this integration');
  if (!level.active) throw refuse('bad_request', `Not saved: level "${level.level_name}" is inactive, so runs would ignore this mapping; choose an active level or activate it first.`, 'hierarchyId', 'choose an active level');
  return level;
};

const checkUnique = async (client: pg.PoolClient, integrationId: number, witFrom: string, exceptId: number | null): Promise<void> => {
  const res = await client.query<{ wit_from: string; wit_to: string; active: boolean }>(
    'SELECT wit_from, wit_to, active FROM wits_mappings WHERE integration_id = $1 AND lower(wit_from) = lower($2) AND id IS DISTINCT FROM $3',
    [integrationId, witFrom, exceptId],
  );
  const other = res.rows[0];
  if (!other) return;
  const hint = other.active ? 'edit that mapping instead' : 'it is inactive: activate and edit it instead';
  throw refuse('conflict', `Not saved: "${other.wit_from}" is already mapped to "${other.wit_to}" (names ignore case); ${hint}.`, 'witFrom', `already mapped (${other.active ? 'active' : 'inactive'})`);
};

export const createWitMapping = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.witMappings.create'>): Promise<Outcome> => {
  const level = await checkLevel(client, scope.integrationId, input.hierarchyId);
  await checkUnique(client, scope.integrationId, input.witFrom, null);
  const res = await client.query<{ id: string }>(
    'INSERT INTO wits_mappings (tenant_id, integration_id, wit_from, wit_to, wits_hierarchy_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [scope.tenantId, scope.integrationId, input.witFrom, input.witTo, input.hierarchyId],
  );
  return { id: Number(res.rows[0]!.id), message: `Mapped "${input.witFrom}" to "${input.witTo}" at level "${level.level_name}". ${APPLIES}` };
};

export const updateWitMapping = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.witMappings.update'>): Promise<Outcome> => {
  await lockMapping(client, scope.integrationId, input.id);
  const level = await checkLevel(client, scope.integrationId, input.hierarchyId);
  await checkUnique(client, scope.integrationId, input.witFrom, input.id);
  await client.query('UPDATE wits_mappings SET wit_from = $2, wit_to = $3, wits_hierarchy_id = $4 WHERE id = $1', [input.id, input.witFrom, input.witTo, input.hierarchyId]);
  return { id: input.id, message: `Saved: "${input.witFrom}" maps to "${input.witTo}" at level "${level.level_name}". ${APPLIES}` };
};

export const setWitMappingActive = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.witMappings.setActive'>): Promise<Outcome> => {
  const row = await lockMapping(client, scope.integrationId, input.id);
  if (input.active) {
    const level = await client.query<{ level_name: string; active: boolean }>(
      'SELECT h.level_name, h.active FROM wits_hierarchies h JOIN wits_mappings m ON m.wits_hierarchy_id = h.id WHERE m.id = $1',
      [input.id],
    );
    const l = level.rows[0]!;
    if (!l.active) throw refuse('bad_request', `Not changed: its level "${l.level_name}" is inactive, so runs would still ignore "${row.wit_from}"; activate the level or edit the mapping to use an active level.`, 'active', 'its level is inactive');
  }
  if (row.active !== input.active) await client.query('UPDATE wits_mappings SET active = $2 WHERE id = $1', [input.id, input.active]);
  return { id: input.id, message: `"${row.wit_from}" is ${input.active ? 'active' : 'inactive'}. ${APPLIES}` };
};

export const deleteWitMapping = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.witMappings.delete'>): Promise<Outcome> => {
  const row = await lockMapping(client, scope.integrationId, input.id);
  const uses = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM work_items WHERE integration_id = $1 AND lower(wit_name) = lower($2)', [scope.integrationId, row.wit_from]);
  const used = uses.rows[0]!.n;
  if (used > 0) {
    if (row.active) await client.query('UPDATE wits_mappings SET active = false WHERE id = $1', [input.id]);
    return {
      id: input.id,
      message: `"${row.wit_from}" is used by ${plural(used, 'loaded work item')}, so it was deactivated instead of deleted (activate it to bring it back). ${APPLIES}`,
    };
  }
  await client.query('DELETE FROM wits_mappings WHERE id = $1', [input.id]);
  return { id: null, message: `Deleted the mapping of "${row.wit_from}". ${APPLIES}` };
};
