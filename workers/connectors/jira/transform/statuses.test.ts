import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { indexMappings } from './mapping-index';
import { transformProjectStatuses, transformStatuses } from './statuses';
import { MAPPINGS, STATUS } from './testing';

describe('statuses transform', () => {
  it('maps each status to its workflow step, and keeps unmapped ones with their Jira category as fallback', () => {
    const list = [STATUS.backlog, { ...STATUS.done, name: 'done', description: 'Finished.' }, { ...STATUS.odd, scope: { type: 'PROJECT', project: { id: '10001' } } }, STATUS.backlog];
    const { statuses } = transformStatuses(list, indexMappings(MAPPINGS));
    expect(statuses).toEqual([
      { external_id: '10000', original_name: 'Backlog', description: null, jira_category: 'To Do', jira_category_key: 'new', scope_project_external_id: null, workflow_step: 'Backlog', workflow_step_number: 1, workflow_category: 'To Do', status_mapped: true },
      { external_id: '10006', original_name: 'done', description: 'Finished.', jira_category: 'Done', jira_category_key: 'done', scope_project_external_id: null, workflow_step: 'Done', workflow_step_number: 11, workflow_category: 'Done', status_mapped: true },
      { external_id: '20000', original_name: 'Parked Somewhere', description: null, jira_category: 'In Progress', jira_category_key: 'indeterminate', scope_project_external_id: '10001', workflow_step: null, workflow_step_number: null, workflow_category: 'In Progress', status_mapped: false },
    ]);
  });

  it('relates a project to the statuses of each of its issue types, replacing the project\'s previous set', () => {
    const body = [
      { id: '10001', name: 'Story', subtask: false, statuses: [STATUS.backlog, STATUS.done] },
      { id: '10004', name: 'Sub-task', subtask: true, statuses: [STATUS.done] },
    ];
    expect(transformProjectStatuses(body, 'ENG')).toEqual({
      projects_statuses: [
        { project_key: 'ENG', wit_external_id: '10001', status_external_id: '10000' },
        { project_key: 'ENG', wit_external_id: '10001', status_external_id: '10006' },
        { project_key: 'ENG', wit_external_id: '10004', status_external_id: '10006' },
      ],
      replaced_sets: [{ table: 'projects_statuses', value: 'ENG' }],
    });
  });

  it('refuses a project statuses unit without its project', () => {
    expect(() => transformProjectStatuses([], null)).toThrow(PermanentError);
    expect(() => transformProjectStatuses({ nope: 1 }, 'ENG')).toThrow(/statuses of project ENG/);
  });
});
