import { describe, expect, it } from 'vitest';

import { methods } from './api';
import { CreateHierarchyInput, CreateStatusMappingInput, CreateStepInput, SaveFieldMappingInput, SLOT_COUNT } from './mappings';

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => r.error?.issues.map((i) => i.path.join('.')) ?? [];
const slots = (): (string | null)[] => Array.from({ length: SLOT_COUNT }, () => null);

describe('mappings contract', () => {
  it('is spread into the API; reads do not mutate', () => {
    for (const m of ['mappings.get', 'mappings.hierarchies.dependencies', 'mappings.workflow.dependencies', 'mappings.customFields.get', 'mappings.unmapped']) expect(methods[m as keyof typeof methods].mutates, m).toBe(false);
    for (const m of ['mappings.hierarchies.delete', 'mappings.workflow.setCommitmentPoint', 'mappings.customFields.discover', 'mappings.retransform']) expect(methods[m as keyof typeof methods].mutates, m).toBe(true);
  });

  it('trims names, turns an empty description into null, bounds level numbers', () => {
    expect(CreateHierarchyInput.parse({ integrationId: 1, levelNumber: 2, levelName: '  Theme ', description: '  ' })).toEqual({ integrationId: 1, levelNumber: 2, levelName: 'Theme', description: null });
    expect(paths(CreateHierarchyInput.safeParse({ integrationId: 1, levelNumber: 2.5, levelName: 'x' }))).toEqual(['levelNumber']);
    expect(paths(CreateHierarchyInput.safeParse({ integrationId: 1, levelNumber: -11, levelName: 'x', tenantId: 2 }))).toEqual(['levelNumber', '']);
  });

  it('keeps the commitment point a numbered step that is not Discarded', () => {
    expect(CreateStepInput.parse({ integrationId: 1, stepName: 'Open', stepNumber: null, stepCategory: 'To Do' }).isCommitmentPoint).toBe(false);
    expect(paths(CreateStepInput.safeParse({ integrationId: 1, stepName: 'Open', stepNumber: null, stepCategory: 'Discarded', isCommitmentPoint: true }))).toEqual(['stepNumber', 'stepCategory']);
    expect(paths(CreateStepInput.safeParse({ integrationId: 1, stepName: 'Open', stepNumber: 1, stepCategory: 'Blocked' }))).toEqual(['stepCategory']);
  });

  it("defaults a status mapping's category to its step's (null)", () => {
    expect(CreateStatusMappingInput.parse({ integrationId: 1, statusFrom: 'Open', workflowId: 3 }).statusCategory).toBeNull();
  });

  it('accepts Jira field ids only, 20 slots, and a field in one place only', () => {
    const ok = SaveFieldMappingInput.safeParse({ integrationId: 1, team: 'customfield_10001', sprints: null, development: null, storyPoints: 'customfield_10016', slots: ['customfield_10016', ...slots().slice(1)] });
    expect(ok.success).toBe(true); // a special field may also fill a slot
    expect(paths(SaveFieldMappingInput.safeParse({ integrationId: 1, team: 'not an id', sprints: null, development: null, storyPoints: null, slots: slots() }))).toEqual(['team']);
    expect(paths(SaveFieldMappingInput.safeParse({ integrationId: 1, team: null, sprints: null, development: null, storyPoints: null, slots: slots().slice(1) }))).toEqual(['slots']);
    const twice = slots();
    twice[0] = 'components';
    twice[19] = 'components';
    const dup = SaveFieldMappingInput.safeParse({ integrationId: 1, team: 'x', sprints: 'x', development: null, storyPoints: null, slots: twice });
    expect(dup.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['sprints', 'x is already mapped to Team; a field feeds one place only'],
      ['slots.19', 'components is already mapped to slot 1; a field feeds one place only'],
    ]);
  });
});
