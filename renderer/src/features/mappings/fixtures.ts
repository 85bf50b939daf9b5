import type { CustomField, CustomFieldsState, Hierarchy, MappingsSnapshot, StatusMapping, WitMapping, WorkflowStep } from '../../../../shared/contract/mappings';

/** Test data for the hub, typed by the contract (a contract change breaks the tests at compile time). Used by tests only. */
const stamps = { createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-02T00:00:00.000Z' };

export const level = (id: number, levelNumber: number, levelName: string, over: Partial<Hierarchy> = {}): Hierarchy => ({ id, levelNumber, levelName, description: null, active: true, mappings: 0, workItems: 0, ...stamps, ...over });

export const witMapping = (id: number, witFrom: string, lvl: Hierarchy, over: Partial<WitMapping> = {}): WitMapping => ({
  id,
  witFrom,
  witTo: witFrom,
  hierarchyId: lvl.id,
  levelNumber: lvl.levelNumber,
  levelName: lvl.levelName,
  levelActive: lvl.active,
  active: true,
  workItems: 0,
  ...stamps,
  ...over,
});

export const step = (id: number, stepNumber: number | null, stepName: string, stepCategory: WorkflowStep['stepCategory'], over: Partial<WorkflowStep> = {}): WorkflowStep => ({
  id,
  stepName,
  stepNumber,
  stepCategory,
  isCommitmentPoint: false,
  active: true,
  statusMappings: 0,
  workItems: 0,
  ...stamps,
  ...over,
});

export const statusMapping = (id: number, statusFrom: string, s: WorkflowStep, over: Partial<StatusMapping> = {}): StatusMapping => ({
  id,
  statusFrom,
  workflowId: s.id,
  stepName: s.stepName,
  stepNumber: s.stepNumber,
  stepActive: s.active,
  statusCategory: s.stepCategory,
  active: true,
  workItems: 0,
  ...stamps,
  ...over,
});

export const field = (externalId: string, name: string, over: Partial<CustomField> = {}): CustomField => ({ externalId, name, fieldType: 'string', custom: externalId.startsWith('customfield_'), schemaCustom: null, items: null, ...over });

/** A small configuration: three levels, four type mappings, four steps (To Do is the point), three status mappings. */
export function snapshot(integrationId = 7): MappingsSnapshot {
  const epic = level(1, 1, 'Epic', { mappings: 1, workItems: 3 });
  const story = level(2, 0, 'Story', { mappings: 2, workItems: 12 });
  const sub = level(3, -1, 'Sub-task', { active: false, mappings: 1 });
  const todo = step(10, 1, 'To Do', 'To Do', { isCommitmentPoint: true, statusMappings: 1, workItems: 5 });
  const doing = step(11, 2, 'In Progress', 'In Progress', { statusMappings: 1, workItems: 9 });
  const done = step(12, 3, 'Done', 'Done', { statusMappings: 1 });
  const discarded = step(13, null, 'Discarded', 'Discarded');
  return {
    integrationId,
    integrationName: 'Acme Jira',
    hierarchies: [epic, story, sub],
    witMappings: [witMapping(20, 'Epic', epic, { workItems: 3 }), witMapping(21, 'Story', story, { workItems: 12 }), witMapping(22, 'Bug', story, { active: false }), witMapping(23, 'Sub-task', sub)],
    workflow: [todo, doing, done, discarded],
    statusMappings: [statusMapping(30, 'Open', todo, { workItems: 5 }), statusMapping(31, 'Blocked', doing, { statusCategory: 'Waiting', workItems: 2 }), statusMapping(32, 'Closed', done)],
  };
}

export function fieldsState(integrationId = 7): CustomFieldsState {
  return {
    integrationId,
    fields: [
      field('customfield_10020', 'Sprint', { fieldType: 'array', items: 'json', schemaCustom: 'com.pyxis.greenhopper.jira:gh-sprint' }),
      field('customfield_10016', 'Story point estimate', { fieldType: 'number', schemaCustom: 'com.pyxis.greenhopper.jira:jsw-story-points' }),
      field('customfield_10033', 'Customer'),
      field('components', 'Components', { fieldType: 'array', items: 'component' }),
    ],
    mapping: { team: null, sprints: 'customfield_10020', development: null, storyPoints: null, slots: ['customfield_10033', ...Array.from({ length: 19 }, () => null)] },
    suggestions: { team: [], sprints: ['customfield_10020'], development: [], storyPoints: ['customfield_10016'] },
    discoveredAt: '2025-01-03T10:00:00.000Z',
    unknownIds: [],
  };
}
