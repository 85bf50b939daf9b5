import { describe, expect, it } from 'vitest';

import { defaultView } from '../../store/mappings-slice';

import { snapshot } from './fixtures';
import { hierarchySpec, nextSort, statusSpec, visibleRows, witSpec, workflowSpec } from './table-model';

const names = <R>(rows: R[], key: keyof R) => rows.map((r) => r[key]);

describe('hub tables: filters and sorting', () => {
  const s = snapshot();

  it('shows levels top-down by default, and sorts by any column both ways', () => {
    expect(names(visibleRows(s.hierarchies, defaultView('hierarchies'), hierarchySpec), 'levelName')).toEqual(['Epic', 'Story', 'Sub-task']);
    const byItems = { ...defaultView('hierarchies'), sort: 'workItems', descending: false };
    expect(names(visibleRows(s.hierarchies, byItems, hierarchySpec), 'levelName')).toEqual(['Sub-task', 'Epic', 'Story']);
    expect(names(visibleRows(s.hierarchies, { ...byItems, descending: true }, hierarchySpec), 'levelName')).toEqual(['Story', 'Epic', 'Sub-task']);
  });

  it('filters by text (any searched column, ignoring case), state and the second filter', () => {
    const v = defaultView('wits');
    expect(names(visibleRows(s.witMappings, { ...v, search: 'STORY' }, witSpec), 'witFrom')).toEqual(['Bug', 'Story']); // Bug's level is Story
    expect(names(visibleRows(s.witMappings, { ...v, state: 'inactive' }, witSpec), 'witFrom')).toEqual(['Bug']);
    expect(names(visibleRows(s.witMappings, { ...v, filter: '1' }, witSpec), 'witFrom')).toEqual(['Epic']);
    expect(names(visibleRows(s.statusMappings, { ...defaultView('statuses'), filter: 'category:Waiting' }, statusSpec), 'statusFrom')).toEqual(['Blocked']);
    expect(names(visibleRows(s.statusMappings, { ...defaultView('statuses'), filter: 'step:12' }, statusSpec), 'statusFrom')).toEqual(['Closed']);
    expect(names(visibleRows(s.workflow, { ...defaultView('workflow'), filter: 'commitment' }, workflowSpec), 'stepName')).toEqual(['To Do']);
  });

  it('keeps steps without a number last in either direction', () => {
    const v = defaultView('workflow');
    expect(names(visibleRows(s.workflow, v, workflowSpec), 'stepName')).toEqual(['To Do', 'In Progress', 'Done', 'Discarded']);
    expect(names(visibleRows(s.workflow, { ...v, descending: true }, workflowSpec), 'stepName')).toEqual(['Done', 'In Progress', 'To Do', 'Discarded']);
  });

  it('flips the direction on the sorted column, and starts ascending on another', () => {
    const v = defaultView('wits');
    expect(nextSort(v, 'witFrom')).toEqual({ sort: 'witFrom', descending: true });
    expect(nextSort({ ...v, descending: true }, 'workItems')).toEqual({ sort: 'workItems', descending: false });
  });
});
