import type pg from 'pg';

import type { MethodParsedInput } from '../../../shared/contract/api';
import type { StepCategory } from '../../../shared/contract/mappings';
import type { MappingScope } from './scope';
import { STATUS_USES } from './snapshot';
import { APPLIES, notFound, plural, refuse, type Outcome } from './words';

/**
 * Status mappings (statuses_mappings): a Jira status name (matched ignoring case) to one of the
 * integration's own workflow steps, with a category (the step's unless overridden). Soft-deleted when
 * loaded work items are or were in the status, since their flow metrics were computed with it.
 */

interface StatusRow {
  id: string;
  status_from: string;
  workflow_id: string;
  active: boolean;
}

const lockMapping = async (client: pg.PoolClient, integrationId: number, id: number): Promise<StatusRow> => {
  const res = await client.query<StatusRow>('SELECT id, status_from, workflow_id, active FROM statuses_mappings WHERE integration_id = $1 AND id = $2 FOR UPDATE', [integrationId, id]);
  const row = res.rows[0];
  if (!row) throw notFound('Status mapping', id);
  return row;
};

/** The step must be one of this integration's workflow steps, and active (runs ignore mappings of inactive steps). */
const checkStep = async (client: pg.PoolClient, integrationId: number, workflowId: number): Promise<{ step_name: string; step_category: StepCategory }> => {
  const res = await client.query<{ step_name: string; step_category: StepCategory; active: boolean }>(
    'SELECT step_name, step_category, active FROM workflows WHERE integration_id = $1 AND id = $2 FOR SHARE',
    [integrationId, workflowId],
  );
  const step = res.rows[0];
  if (!step) throw refuse('bad_request', `Not saved: step ${workflowId} is not a step of this integration's workflow; choose one from the list.`, 'workflowId', 'not a step of this workflow');
  if (!step.active) throw refuse('bad_request', `Not saved: step "${step.step_name}" is inactive, so runs would ignore this mapping; choose an active step or activate it first.`, 'workflowId', 'choose an active step');
  return step;
};

const checkUnique = async (client: pg.PoolClient, integrationId: number, statusFrom: string, exceptId: number | null): Promise<void> => {
  const res = await client.query<{ status_from: string; step_name: string; active: boolean }>(
    `SELECT s.status_from, w.step_name, s.active FROM statuses_mappings s JOIN workflows w ON w.id = s.workflow_id
      WHERE s.integration_id = $1 AND lower(s.status_from) = lower($2) AND s.id IS DISTINCT FROM $3`,
    [integrationId, statusFrom, exceptId],
  );
  const other = res.rows[0];
  if (!other) return;
  const hint = other.active ? 'edit that mapping instead' : 'it is inactive: activate and edit it instead';
  throw refuse('conflict', `Not saved: "${other.status_from}" is already mapped to step "${other.step_name}" (names ignore case); ${hint}.`, 'statusFrom', `already mapped (${other.active ? 'active' : 'inactive'})`);
};

export const createStatusMapping = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.statusMappings.create'>): Promise<Outcome> => {
  const step = await checkStep(client, scope.integrationId, input.workflowId);
  await checkUnique(client, scope.integrationId, input.statusFrom, null);
  const category = input.statusCategory ?? step.step_category;
  const res = await client.query<{ id: string }>(
    'INSERT INTO statuses_mappings (tenant_id, integration_id, status_from, workflow_id, status_category) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [scope.tenantId, scope.integrationId, input.statusFrom, input.workflowId, category],
  );
  return { id: Number(res.rows[0]!.id), message: `Mapped status "${input.statusFrom}" to step "${step.step_name}" (${category}). ${APPLIES}` };
};

export const updateStatusMapping = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.statusMappings.update'>): Promise<Outcome> => {
  await lockMapping(client, scope.integrationId, input.id);
  const step = await checkStep(client, scope.integrationId, input.workflowId);
  await checkUnique(client, scope.integrationId, input.statusFrom, input.id);
  const category = input.statusCategory ?? step.step_category;
  await client.query('UPDATE statuses_mappings SET status_from = $2, workflow_id = $3, status_category = $4 WHERE id = $1', [input.id, input.statusFrom, input.workflowId, category]);
  return { id: input.id, message: `Saved: status "${input.statusFrom}" maps to step "${step.step_name}" (${category}). ${APPLIES}` };
};

export const setStatusMappingActive = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.statusMappings.setActive'>): Promise<Outcome> => {
  const row = await lockMapping(client, scope.integrationId, input.id);
  if (input.active) {
    const step = (await client.query<{ step_name: string; active: boolean }>('SELECT step_name, active FROM workflows WHERE id = $1', [row.workflow_id])).rows[0]!;
    if (!step.active) throw refuse('bad_request', `Not changed: its step "${step.step_name}" is inactive, so runs would still ignore "${row.status_from}"; activate the step or edit the mapping to use an active step.`, 'active', 'its step is inactive');
  }
  if (row.active !== input.active) await client.query('UPDATE statuses_mappings SET active = $2 WHERE id = $1', [input.id, input.active]);
  return { id: input.id, message: `Status "${row.status_from}" is ${input.active ? 'active' : 'inactive'}. ${APPLIES}` };
};

export const deleteStatusMapping = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.statusMappings.delete'>): Promise<Outcome> => {
  const row = await lockMapping(client, scope.integrationId, input.id);
  const uses = await client.query<{ n: number }>(`WITH uses AS (${STATUS_USES}) SELECT coalesce(sum(n), 0)::int AS n FROM uses WHERE k = lower($2)`, [scope.integrationId, row.status_from]);
  const used = uses.rows[0]!.n;
  if (used > 0) {
    if (row.active) await client.query('UPDATE statuses_mappings SET active = false WHERE id = $1', [input.id]);
    return {
      id: input.id,
      message: `Status "${row.status_from}" is in the history of ${plural(used, 'loaded work item')}, so its mapping was deactivated instead of deleted (activate it to bring it back). ${APPLIES}`,
    };
  }
  await client.query('DELETE FROM statuses_mappings WHERE id = $1', [input.id]);
  return { id: null, message: `Deleted the mapping of status "${row.status_from}". ${APPLIES}` };
};
