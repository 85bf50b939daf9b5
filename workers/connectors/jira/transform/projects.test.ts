import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { indexMappings } from './mapping-index';
import { transformProjects } from './projects';
import { MAPPINGS } from './testing';

const type = (id: string, name: string, hierarchyLevel: number, extra: Record<string, unknown> = {}) => ({ id, name, description: `${name} issues.`, hierarchyLevel, subtask: hierarchyLevel < 0, ...extra });

describe('projects transform', () => {
  const page = {
    startAt: 0,
    total: 2,
    isLast: true,
    values: [
      { id: '10000', key: 'ENG', name: 'Engineering', projectTypeKey: 'software', simplified: false, style: 'classic', issueTypes: [type('10001', 'story', 0), type('10000', 'Epic', 1), type('10004', 'Sub-task', -1)] },
      { id: '10001', key: 'WEB', name: 'Web', projectTypeKey: 'software', simplified: true, style: 'next-gen', issueTypes: [type('10001', 'story', 0), type('10100', 'Tâche', 0, { scope: { type: 'PROJECT', project: { id: '10001' } } })] },
    ],
  };
  const out = transformProjects(page, indexMappings(MAPPINGS));

  it('makes one row per project and per issue type, even when types are shared', () => {
    expect(out.projects).toEqual([
      { external_id: '10000', key: 'ENG', name: 'Engineering', project_type: 'software', simplified: false, style: 'classic' },
      { external_id: '10001', key: 'WEB', name: 'Web', project_type: 'software', simplified: true, style: 'next-gen' },
    ]);
    expect(out.wits.map((w) => w.external_id)).toEqual(['10001', '10000', '10004', '10100']);
    expect(out.projects_wits).toHaveLength(5);
    expect(out.replaced_sets).toEqual([{ table: 'projects_wits', value: '10000' }, { table: 'projects_wits', value: '10001' }]);
  });

  it('maps types case-insensitively with their hierarchy level, and keeps unmapped ones flagged', () => {
    const byId = new Map(out.wits.map((w) => [w.external_id, w]));
    expect(byId.get('10001')).toMatchObject({ original_name: 'story', wit_to: 'Story', hierarchy_level: 0, hierarchy_name: 'Story', wit_mapped: true, jira_hierarchy_level: 0 });
    expect(byId.get('10004')).toMatchObject({ wit_to: null, hierarchy_level: null, wit_mapped: false, jira_hierarchy_level: -1, subtask: true });
    expect(byId.get('10100')).toMatchObject({ scope_project_external_id: '10001', wit_mapped: false });
  });

  it('refuses a page that is not a project search page', () => {
    expect(() => transformProjects({ values: [{ id: '1' }] }, indexMappings(MAPPINGS))).toThrow(PermanentError);
  });
});
