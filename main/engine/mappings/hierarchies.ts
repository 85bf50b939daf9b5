import type pg from 'pg';

import type { MethodParsedInput } from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';
import type { HierarchyDependencies } from '../../../shared/contract/mappings';
import type { MappingScope } from './scope';
import { TYPE_USES } from './snapshot';
import { APPLIES, notFound, plural, refuse, sentence, type Outcome } from './words';

/**
 * Hierarchy levels (wits_hierarchies). Type mappings reference a level by foreign key, so a level
 * that mappings use is never deactivated or deleted from under them: the caller names a reassignment
 * target and the mappings move to it in the same transaction (a deactivated level would otherwise
 * silently unmap every type mapped through it, since runs read active levels only).
 */

interface LevelRow {
  id: string;
  level_number: number;
  level_name: string;
  active: boolean;
}

/** Locks the levels (in id order, so two reassignments cannot deadlock) and returns them by id. */
const lockLevels = async (client: pg.PoolClient, integrationId: number, ids: number[]): Promise<Map<number, LevelRow>> => {
  const res = await client.query<LevelRow>(
    'SELECT id, level_number, level_name, active FROM wits_hierarchies WHERE integration_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE',
    [integrationId, ids],
  );
  return new Map(res.rows.map((r) => [Number(r.id), r]));
};

const lockLevel = async (client: pg.PoolClient, integrationId: number, id: number): Promise<LevelRow> => {
  const row = (await lockLevels(client, integrationId, [id])).get(id);
  if (!row) throw notFound('Hierarchy level', id);
  return row;
};

/** Another level with the same number or name: said at the field, with the level it clashes with. */
const checkUnique = async (client: pg.PoolClient, integrationId: number, levelNumber: number, levelName: string, exceptId: number | null): Promise<void> => {
  const res = await client.query<LevelRow>(
    `SELECT id, level_number, level_name, active FROM wits_hierarchies
      WHERE integration_id = $1 AND (level_number = $2 OR lower(level_name) = lower($3)) AND id IS DISTINCT FROM $4`,
    [integrationId, levelNumber, levelName, exceptId],
  );
  const issues: { path: string; message: string }[] = [];
  for (const r of res.rows) {
    const state = r.active ? '' : ' (inactive)';
    if (r.level_number === levelNumber) issues.push({ path: 'levelNumber', message: `level ${levelNumber} is already "${r.level_name}"${state}` });
    if (r.level_name.toLowerCase() === levelName.toLowerCase()) issues.push({ path: 'levelName', message: `"${r.level_name}" is already level ${r.level_number}${state}` });
  }
  if (issues.length) throw new ApiError('conflict', `Not saved: ${issues.map((i) => i.message).join('; ')}. Pick another number or name, or edit that level.`, issues);
};

export const createLevel = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.hierarchies.create'>): Promise<Outcome> => {
  await checkUnique(client, scope.integrationId, input.levelNumber, input.levelName, null);
  const res = await client.query<{ id: string }>(
    'INSERT INTO wits_hierarchies (tenant_id, integration_id, level_number, level_name, description) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [scope.tenantId, scope.integrationId, input.levelNumber, input.levelName, input.description],
  );
  return { id: Number(res.rows[0]!.id), message: `Added level ${input.levelNumber} "${input.levelName}". Map types to it on the WIT mappings tab.` };
};

export const updateLevel = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.hierarchies.update'>): Promise<Outcome> => {
  await lockLevel(client, scope.integrationId, input.id);
  await checkUnique(client, scope.integrationId, input.levelNumber, input.levelName, input.id);
  await client.query('UPDATE wits_hierarchies SET level_number = $2, level_name = $3, description = $4 WHERE id = $1', [input.id, input.levelNumber, input.levelName, input.description]);
  return { id: input.id, message: `Saved level ${input.levelNumber} "${input.levelName}". ${APPLIES}` };
};

export const levelDependencies = async (client: pg.PoolClient, scope: MappingScope, id: number): Promise<HierarchyDependencies> => {
  const level = await client.query<LevelRow>('SELECT id, level_number, level_name, active FROM wits_hierarchies WHERE integration_id = $1 AND id = $2', [scope.integrationId, id]);
  const row = level.rows[0];
  if (!row) throw notFound('Hierarchy level', id);
  const mappings = await client.query<{ id: string; wit_from: string; wit_to: string; active: boolean; work_items: number }>(
    `WITH uses AS (${TYPE_USES})
     SELECT m.id, m.wit_from, m.wit_to, m.active, coalesce(u.n, 0) AS work_items
       FROM wits_mappings m LEFT JOIN uses u ON u.k = lower(m.wit_from)
      WHERE m.integration_id = $1 AND m.wits_hierarchy_id = $2 ORDER BY lower(m.wit_from)`,
    [scope.integrationId, id],
  );
  const targets = await client.query<LevelRow>('SELECT id, level_number, level_name, active FROM wits_hierarchies WHERE integration_id = $1 AND id <> $2 AND active ORDER BY level_number DESC', [
    scope.integrationId,
    id,
  ]);
  const list = mappings.rows.map((m) => ({ id: Number(m.id), witFrom: m.wit_from, witTo: m.wit_to, active: m.active, workItems: m.work_items }));
  return {
    id,
    levelName: row.level_name,
    mappings: list,
    workItems: list.reduce((n, m) => n + m.workItems, 0),
    targets: targets.rows.map((t) => ({ id: Number(t.id), levelNumber: t.level_number, levelName: t.level_name })),
  };
};

/**
 * Moves every type mapping of `level` to `reassignTo` (all of them, active or not: the foreign key
 * makes no difference and a delete needs them all gone). Refuses, at the reassignTo field, when
 * mappings depend on the level and no valid target is named.
 */
const moveMappings = async (
  client: pg.PoolClient,
  scope: MappingScope,
  locked: Map<number, LevelRow>,
  level: LevelRow,
  reassignTo: number | null,
  verb: string,
): Promise<{ moved: number; target: LevelRow | null }> => {
  const id = Number(level.id);
  const deps = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM wits_mappings WHERE integration_id = $1 AND wits_hierarchy_id = $2', [scope.integrationId, id]);
  const count = deps.rows[0]!.n;
  if (count === 0) return { moved: 0, target: null };
  const what = `${plural(count, 'type mapping')} ${count === 1 ? 'uses' : 'use'} "${level.level_name}"`;
  if (reassignTo === null) throw refuse('conflict', `Not changed: ${what}; choose the level ${count === 1 ? 'it moves' : 'they move'} to before you ${verb} it.`, 'reassignTo', 'choose the level the type mappings move to');
  if (reassignTo === id) throw refuse('bad_request', `Not changed: the type mappings cannot move to the level you ${verb}; choose another level.`, 'reassignTo', 'choose another level');
  const target = locked.get(reassignTo);
  if (!target) throw refuse('bad_request', `Not changed: level ${reassignTo} does not exist in this integration; choose one from the list.`, 'reassignTo', 'no such level in this integration');
  if (!target.active) throw refuse('bad_request', `Not changed: "${target.level_name}" is inactive; move the type mappings to an active level.`, 'reassignTo', 'choose an active level');
  const moved = await client.query('UPDATE wits_mappings SET wits_hierarchy_id = $3 WHERE integration_id = $1 AND wits_hierarchy_id = $2', [scope.integrationId, id, reassignTo]);
  return { moved: moved.rowCount ?? 0, target };
};

const movedWords = (moved: number, from: LevelRow, target: LevelRow | null): string =>
  target ? `Moved ${plural(moved, 'type mapping')} from "${from.level_name}" to level ${target.level_number} "${target.level_name}"; ` : '';

/**
 * The level and its reassignment target, locked together up front (in id order): locking the level
 * first and the target later would let two reassignments in opposite directions deadlock.
 */
const lockWithTarget = async (client: pg.PoolClient, integrationId: number, id: number, reassignTo: number | null): Promise<{ level: LevelRow; locked: Map<number, LevelRow> }> => {
  const locked = await lockLevels(client, integrationId, reassignTo === null ? [id] : [id, reassignTo]);
  const level = locked.get(id);
  if (!level) throw notFound('Hierarchy level', id);
  return { level, locked };
};

export const setLevelActive = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.hierarchies.setActive'>): Promise<Outcome> => {
  const { level, locked } = await lockWithTarget(client, scope.integrationId, input.id, input.active ? null : input.reassignTo);
  if (input.active) {
    if (!level.active) await client.query('UPDATE wits_hierarchies SET active = true WHERE id = $1', [input.id]);
    return { id: input.id, message: `Level "${level.level_name}" is active. ${APPLIES}` };
  }
  const { moved, target } = await moveMappings(client, scope, locked, level, input.reassignTo, 'deactivate');
  if (level.active) await client.query('UPDATE wits_hierarchies SET active = false WHERE id = $1', [input.id]);
  return { id: input.id, message: sentence(`${movedWords(moved, level, target)}level "${level.level_name}" is inactive. ${APPLIES}`) };
};

export const deleteLevel = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.hierarchies.delete'>): Promise<Outcome> => {
  const { level, locked } = await lockWithTarget(client, scope.integrationId, input.id, input.reassignTo);
  const { moved, target } = await moveMappings(client, scope, locked, level, input.reassignTo, 'delete');
  await client.query('DELETE FROM wits_hierarchies WHERE id = $1', [input.id]);
  return { id: null, message: sentence(`${movedWords(moved, level, target)}deleted level ${level.level_number} "${level.level_name}". ${APPLIES}`) };
};
