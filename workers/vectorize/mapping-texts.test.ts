import { describe, expect, it } from 'vitest';

import { HierarchyRow, StatusMappingRow, WitMappingRow, WorkflowRow } from './mapping-texts';
import { ENTITY_SPECS, textHash } from './texts';

// Rows as Postgres returns them through bridge.ts (bigints as strings).
const level = { id: '4', integration_id: '2', raw_id: '1764662400000000', level_number: 1, level_name: 'Epic', description: 'Large bodies of work split into stories', active: true };
const witMapping = { id: '9', integration_id: '2', raw_id: '1764662400000001', wit_from: 'Feature', wit_to: 'Epic', active: true, level_number: 1, level_name: 'Epic', level_active: true };
const step = { id: '7', integration_id: '2', raw_id: '1764662400000002', step_name: 'To Do', step_number: 4, step_category: 'To Do', is_commitment_point: true, active: true };
const statusMapping = { id: '31', integration_id: '2', raw_id: '1764662400000003', status_from: 'Ready for QA', status_category: 'Waiting', active: true, step_name: 'Ready for Story Testing', step_number: 6, step_active: true };

describe('mapping texts', () => {
  it('a hierarchy level says what the items on it are', () => {
    const row = ENTITY_SPECS.wits_hierarchies.toRow(level);
    expect(row).toMatchObject({ id: 4, integrationId: 2, rawId: 1_764_662_400_000_000, key: 'Epic (level 1)', title: 'Epic' });
    expect(row.text).toBe(
      [
        'Work item hierarchy level 1 "Epic": Jira issue types mapped to this level are epics (large bodies of work split into stories).',
        'Description: Large bodies of work split into stories',
        'State: active',
      ].join('\n'),
    );
    expect(ENTITY_SPECS.wits_hierarchies.toRow({ ...level, level_number: -1, level_name: 'Sub-task', description: null, active: false }).text.split('\n')).toEqual([
      'Work item hierarchy level -1 "Sub-task": Jira issue types mapped to this level are sub-tasks (parts of a standard work item).',
      'State: inactive (the transform ignores it: its issue types are loaded as unmapped)',
    ]);
  });

  it('a type mapping reads as "Jira issue type X maps to unified type Y at level N"', () => {
    const row = ENTITY_SPECS.wits_mappings.toRow(witMapping);
    expect(row).toMatchObject({ id: 9, key: 'Feature', title: 'Feature → Epic (level 1)' });
    expect(row.text).toBe('Jira issue type "Feature" maps to the unified work item type "Epic" at hierarchy level 1 (Epic).\nState: active');
    expect(ENTITY_SPECS.wits_mappings.toRow({ ...witMapping, active: false, level_active: false }).text.split('\n').slice(1)).toEqual([
      'State: inactive (issues of this type are loaded as unmapped)',
      'Its hierarchy level "Epic" is inactive, so the transform ignores this mapping.',
    ]);
  });

  it('a workflow step says its place in the flow, what its category means, and whether it is the commitment point', () => {
    const row = ENTITY_SPECS.workflows.toRow(step);
    expect(row).toMatchObject({ id: 7, key: 'To Do', title: 'To Do (To Do, commitment point)' });
    expect(row.text.split('\n')).toEqual([
      'Workflow step "To Do" (step 4 of the flow), category To Do: work here is not started yet (backlog, planned, ready).',
      'This step is the commitment point: work counts as committed (lead and cycle time start) when it reaches this step or a later one.',
      'State: active',
    ]);
    const discarded = ENTITY_SPECS.workflows.toRow({ ...step, step_name: 'Discarded', step_number: null, step_category: 'Discarded', is_commitment_point: false });
    expect(discarded.text.split('\n')[0]).toBe('Workflow step "Discarded" (outside the flow, no step number), category Discarded: work here is abandoned (cancelled, rejected, duplicate, won’t do).');
    expect(discarded.text).not.toContain('commitment point');
  });

  it('a status mapping reads as "Jira status X maps to workflow step Y, category Z"', () => {
    const row = ENTITY_SPECS.statuses_mappings.toRow(statusMapping);
    expect(row).toMatchObject({ id: 31, key: 'Ready for QA', title: 'Ready for QA → Ready for Story Testing (Waiting)' });
    expect(row.text).toBe(
      'Jira status "Ready for QA" maps to the workflow step "Ready for Story Testing" (step 6), category Waiting: an issue in this status is waiting between active steps (queued for the next step, a hand-off).\nState: active',
    );
    expect(ENTITY_SPECS.statuses_mappings.toRow({ ...statusMapping, step_active: false }).text).toContain('Its workflow step "Ready for Story Testing" is inactive');
  });

  it('what the row means changes the hash; its id and version do not', () => {
    const text = (r: unknown) => ENTITY_SPECS.statuses_mappings.toRow(r).text;
    expect(textHash(text({ ...statusMapping, id: '32', raw_id: '1764662499999999' }))).toBe(textHash(text(statusMapping)));
    expect(textHash(text({ ...statusMapping, step_name: 'Story Testing', step_number: 7 }))).not.toBe(textHash(text(statusMapping)));
    expect(textHash(text({ ...statusMapping, active: false }))).not.toBe(textHash(text(statusMapping)));
  });

  it('the selected columns are exactly what the row schemas read, with the version as raw_id', () => {
    const aliases = (entity: 'wits_hierarchies' | 'wits_mappings' | 'workflows' | 'statuses_mappings') =>
      ENTITY_SPECS[entity].select.map((c) => (/ AS (\w+)$/.exec(c)?.[1] ?? c.replace(/^\w+\./, ''))).sort();
    expect(aliases('wits_hierarchies')).toEqual(Object.keys(HierarchyRow.shape).sort());
    expect(aliases('wits_mappings')).toEqual(Object.keys(WitMappingRow.shape).sort());
    expect(aliases('workflows')).toEqual(Object.keys(WorkflowRow.shape).sort());
    expect(aliases('statuses_mappings')).toEqual(Object.keys(StatusMappingRow.shape).sort());
    expect(ENTITY_SPECS.statuses_mappings.select.find((c) => c.endsWith(' AS raw_id'))).toContain('greatest(e.updated_at, w.updated_at)');
  });

  it('a row that is not what the schema expects is refused, not embedded half-read', () => {
    expect(() => ENTITY_SPECS.workflows.toRow({ ...step, step_category: undefined })).toThrow();
  });
});
