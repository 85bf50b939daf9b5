import type pg from 'pg';

import type { MethodParsedInput } from '../../../shared/contract/api';
import type { StepCategory, StepDependencies } from '../../../shared/contract/mappings';
import type { MappingScope } from './scope';
import { STATUS_USES } from './snapshot';
import { APPLIES, notFound, plural, refuse, sentence, type Outcome } from './words';

/**
 * Workflow steps (workflows) with exactly one commitment point per integration: a partial unique index
 * allows at most one, and a deferred trigger requires one while any step is active, so moving it is
 * "unset the old, set the new" in one transaction (in that order: the index is checked at once).
 *
 * Status mappings carry their own category; those whose category is their step's follow the step when
 * it is recategorised or when they move to another step, while deliberate overrides (a "Blocked" status
 * counted as Waiting under an In Progress step) are kept.
 */

interface StepRow {
  id: string;
  step_name: string;
  step_number: number | null;
  step_category: StepCategory;
  is_commitment_point: boolean;
  active: boolean;
}

const COLUMNS = 'id, step_name, step_number, step_category, is_commitment_point, active';

const lockSteps = async (client: pg.PoolClient, integrationId: number, ids: number[]): Promise<Map<number, StepRow>> => {
  const res = await client.query<StepRow>(`SELECT ${COLUMNS} FROM workflows WHERE integration_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE`, [integrationId, ids]);
  return new Map(res.rows.map((r) => [Number(r.id), r]));
};

const lockStep = async (client: pg.PoolClient, integrationId: number, id: number): Promise<StepRow> => {
  const row = (await lockSteps(client, integrationId, [id])).get(id);
  if (!row) throw notFound('Workflow step', id);
  return row;
};

const checkUnique = async (client: pg.PoolClient, integrationId: number, stepName: string, exceptId: number | null): Promise<void> => {
  const res = await client.query<StepRow>(`SELECT ${COLUMNS} FROM workflows WHERE integration_id = $1 AND lower(step_name) = lower($2) AND id IS DISTINCT FROM $3`, [integrationId, stepName, exceptId]);
  const other = res.rows[0];
  if (other) {
    throw refuse('conflict', `Not saved: the workflow already has a step "${other.step_name}"${other.active ? '' : ' (inactive)'} (names ignore case); pick another name or edit that step.`, 'stepName', 'already a step of this workflow');
  }
};

/** Unsets the current commitment point (other than `keepId`); the caller sets the new one next, in the same transaction. */
const unsetCommitmentPoint = async (client: pg.PoolClient, integrationId: number, keepId: number | null): Promise<string | null> => {
  const res = await client.query<{ step_name: string }>(
    'UPDATE workflows SET is_commitment_point = false WHERE integration_id = $1 AND is_commitment_point AND id IS DISTINCT FROM $2 RETURNING step_name',
    [integrationId, keepId],
  );
  return res.rows[0]?.step_name ?? null;
};

const activeSteps = async (client: pg.PoolClient, integrationId: number): Promise<number> =>
  (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM workflows WHERE integration_id = $1 AND active', [integrationId])).rows[0]!.n;

export const createStep = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.workflow.create'>): Promise<Outcome> => {
  await checkUnique(client, scope.integrationId, input.stepName, null);
  let previous: string | null = null;
  if (input.isCommitmentPoint) previous = await unsetCommitmentPoint(client, scope.integrationId, null);
  else if ((await activeSteps(client, scope.integrationId)) === 0) {
    throw refuse('bad_request', 'Not saved: the first step of a workflow must be its commitment point (where work counts as committed); tick "commitment point".', 'isCommitmentPoint', 'the first step must be the commitment point');
  }
  const res = await client.query<{ id: string }>(
    'INSERT INTO workflows (tenant_id, integration_id, step_name, step_number, step_category, is_commitment_point) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [scope.tenantId, scope.integrationId, input.stepName, input.stepNumber, input.stepCategory, input.isCommitmentPoint],
  );
  const moved = previous ? ` It replaces "${previous}" as the commitment point.` : input.isCommitmentPoint ? ' It is the commitment point.' : '';
  return { id: Number(res.rows[0]!.id), message: `Added step "${input.stepName}" (${input.stepCategory}).${moved} ${APPLIES}` };
};

export const updateStep = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.workflow.update'>): Promise<Outcome> => {
  const step = await lockStep(client, scope.integrationId, input.id);
  await checkUnique(client, scope.integrationId, input.stepName, input.id);
  if (step.is_commitment_point && input.stepNumber === null) {
    throw refuse('bad_request', `Not saved: "${step.step_name}" is the commitment point, which needs a step number; make another step the commitment point first.`, 'stepNumber', 'the commitment point needs a step number');
  }
  if (step.is_commitment_point && input.stepCategory === 'Discarded') {
    throw refuse('bad_request', `Not saved: "${step.step_name}" is the commitment point, which cannot be Discarded; make another step the commitment point first.`, 'stepCategory', 'the commitment point cannot be Discarded');
  }
  await client.query('UPDATE workflows SET step_name = $2, step_number = $3, step_category = $4 WHERE id = $1', [input.id, input.stepName, input.stepNumber, input.stepCategory]);
  let followed = 0;
  if (input.stepCategory !== step.step_category) {
    const res = await client.query('UPDATE statuses_mappings SET status_category = $3 WHERE integration_id = $1 AND workflow_id = $2 AND status_category = $4', [
      scope.integrationId,
      input.id,
      input.stepCategory,
      step.step_category,
    ]);
    followed = res.rowCount ?? 0;
  }
  const follow = followed ? ` ${plural(followed, 'status mapping')} with the step's category now ${followed === 1 ? 'has' : 'have'} ${input.stepCategory}.` : '';
  return { id: input.id, message: `Saved step "${input.stepName}".${follow} ${APPLIES}` };
};

export const setCommitmentPoint = async (client: pg.PoolClient, scope: MappingScope, id: number): Promise<Outcome> => {
  const step = await lockStep(client, scope.integrationId, id);
  if (step.is_commitment_point) return { id, message: `"${step.step_name}" is already the commitment point.` };
  if (step.step_number === null || step.step_category === 'Discarded') {
    throw refuse('bad_request', `Not changed: "${step.step_name}" ${step.step_number === null ? 'has no step number' : 'is Discarded'}; the commitment point must be a numbered step of the flow. Edit the step first.`, 'isCommitmentPoint', 'needs a numbered step that is not Discarded');
  }
  const previous = await unsetCommitmentPoint(client, scope.integrationId, id);
  await client.query('UPDATE workflows SET is_commitment_point = true, active = true WHERE id = $1', [id]);
  return { id, message: `"${step.step_name}" is the commitment point${previous ? ` instead of "${previous}"` : ''}: work counts as committed from step ${step.step_number} on. ${APPLIES}` };
};

export const stepDependencies = async (client: pg.PoolClient, scope: MappingScope, id: number): Promise<StepDependencies> => {
  const found = await client.query<StepRow>(`SELECT ${COLUMNS} FROM workflows WHERE integration_id = $1 AND id = $2`, [scope.integrationId, id]);
  const step = found.rows[0];
  if (!step) throw notFound('Workflow step', id);
  const mappings = await client.query<{ id: string; status_from: string; status_category: StepCategory; active: boolean; work_items: number }>(
    `WITH uses AS (${STATUS_USES})
     SELECT s.id, s.status_from, s.status_category, s.active, coalesce(u.n, 0) AS work_items
       FROM statuses_mappings s LEFT JOIN uses u ON u.k = lower(s.status_from)
      WHERE s.integration_id = $1 AND s.workflow_id = $2 ORDER BY lower(s.status_from)`,
    [scope.integrationId, id],
  );
  const targets = await client.query<StepRow>(`SELECT ${COLUMNS} FROM workflows WHERE integration_id = $1 AND id <> $2 AND active ORDER BY step_number NULLS LAST, lower(step_name)`, [scope.integrationId, id]);
  const list = mappings.rows.map((m) => ({ id: Number(m.id), statusFrom: m.status_from, statusCategory: m.status_category, active: m.active, workItems: m.work_items }));
  return {
    id,
    stepName: step.step_name,
    isCommitmentPoint: step.is_commitment_point,
    statusMappings: list,
    workItems: list.reduce((n, m) => n + m.workItems, 0),
    targets: targets.rows.map((t) => ({ id: Number(t.id), stepName: t.step_name, stepNumber: t.step_number, stepCategory: t.step_category })),
  };
};

/** Moves every status mapping of `step` to `reassignTo` (see hierarchies.ts for why all of them). */
const moveStatusMappings = async (
  client: pg.PoolClient,
  scope: MappingScope,
  locked: Map<number, StepRow>,
  step: StepRow,
  reassignTo: number | null,
  verb: string,
): Promise<{ moved: number; target: StepRow | null }> => {
  const id = Number(step.id);
  const count = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM statuses_mappings WHERE integration_id = $1 AND workflow_id = $2', [scope.integrationId, id])).rows[0]!.n;
  if (count === 0) return { moved: 0, target: null };
  const what = `${plural(count, 'status mapping')} ${count === 1 ? 'points' : 'point'} at "${step.step_name}"`;
  if (reassignTo === null) throw refuse('conflict', `Not changed: ${what}; choose the step ${count === 1 ? 'it moves' : 'they move'} to before you ${verb} it.`, 'reassignTo', 'choose the step the status mappings move to');
  if (reassignTo === id) throw refuse('bad_request', `Not changed: the status mappings cannot move to the step you ${verb}; choose another step.`, 'reassignTo', 'choose another step');
  const target = locked.get(reassignTo);
  if (!target) throw refuse('bad_request', `Not changed: step ${reassignTo} does not exist in this workflow; choose one from the list.`, 'reassignTo', 'no such step in this workflow');
  if (!target.active) throw refuse('bad_request', `Not changed: "${target.step_name}" is inactive; move the status mappings to an active step.`, 'reassignTo', 'choose an active step');
  // Mappings that had the old step's category take the new step's; overrides are kept.
  const moved = await client.query(
    `UPDATE statuses_mappings SET workflow_id = $3, status_category = CASE WHEN status_category = $4 THEN $5 ELSE status_category END
      WHERE integration_id = $1 AND workflow_id = $2`,
    [scope.integrationId, id, reassignTo, step.step_category, target.step_category],
  );
  return { moved: moved.rowCount ?? 0, target };
};

const movedWords = (moved: number, from: StepRow, target: StepRow | null): string => (target ? `moved ${plural(moved, 'status mapping')} from "${from.step_name}" to "${target.step_name}"; ` : '');

/** The step and its reassignment target, locked together up front (see hierarchies.ts for why). */
const lockWithTarget = async (client: pg.PoolClient, integrationId: number, id: number, reassignTo: number | null): Promise<{ step: StepRow; locked: Map<number, StepRow> }> => {
  const locked = await lockSteps(client, integrationId, reassignTo === null ? [id] : [id, reassignTo]);
  const step = locked.get(id);
  if (!step) throw notFound('Workflow step', id);
  return { step, locked };
};

export const setStepActive = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.workflow.setActive'>): Promise<Outcome> => {
  const { step, locked } = await lockWithTarget(client, scope.integrationId, input.id, input.active ? null : input.reassignTo);
  if (input.active) {
    if (!step.active) {
      const hasPoint = await client.query('SELECT 1 FROM workflows WHERE integration_id = $1 AND is_commitment_point', [scope.integrationId]);
      if (hasPoint.rowCount === 0) {
        throw refuse('conflict', `Not changed: no step is the commitment point, and an active workflow needs one; make "${step.step_name}" (or another numbered step) the commitment point, which activates it.`, 'active', 'the workflow has no commitment point');
      }
      await client.query('UPDATE workflows SET active = true WHERE id = $1', [input.id]);
    }
    return { id: input.id, message: `Step "${step.step_name}" is active. ${APPLIES}` };
  }
  if (step.is_commitment_point) {
    throw refuse('conflict', `Not changed: "${step.step_name}" is the commitment point, which must stay active; make another step the commitment point first.`, 'active', 'the commitment point stays active');
  }
  const { moved, target } = await moveStatusMappings(client, scope, locked, step, input.reassignTo, 'deactivate');
  if (step.active) await client.query('UPDATE workflows SET active = false WHERE id = $1', [input.id]);
  return { id: input.id, message: sentence(`${movedWords(moved, step, target)}step "${step.step_name}" is inactive. ${APPLIES}`) };
};

export const deleteStep = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.workflow.delete'>): Promise<Outcome> => {
  const { step, locked } = await lockWithTarget(client, scope.integrationId, input.id, input.reassignTo);
  // The last active step may go (the workflow is then empty); otherwise the point must move first.
  if (step.is_commitment_point && (await activeSteps(client, scope.integrationId)) > 1) {
    throw refuse('conflict', `Not deleted: "${step.step_name}" is the commitment point; make another step the commitment point first.`, 'id', 'the commitment point cannot be deleted');
  }
  const { moved, target } = await moveStatusMappings(client, scope, locked, step, input.reassignTo, 'delete');
  await client.query('DELETE FROM workflows WHERE id = $1', [input.id]);
  return { id: null, message: sentence(`${movedWords(moved, step, target)}deleted step "${step.step_name}". ${APPLIES}`) };
};
