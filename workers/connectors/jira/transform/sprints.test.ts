import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { transformSprint } from './sprints';

const sprint = { id: 12, self: 'x', state: 'closed', name: 'ENG Sprint 3', createdDate: '2024-01-01T00:00:00.000Z', startDate: '2024-01-04T09:00:00.000Z', endDate: '2024-01-18T09:00:00.000Z', completeDate: '2024-01-18T11:00:00.000Z', originBoardId: 1, goal: '' };
const entry = (id: number, key: string, start: number | null, end?: number) => ({
  id,
  key,
  estimateStatistic: { statFieldId: 'customfield_10016', statFieldValue: start === null ? {} : { value: start } },
  currentEstimateStatistic: { statFieldId: 'customfield_10016', statFieldValue: { value: end ?? start } },
});

describe('sprints transform', () => {
  it('puts the report figures on the sprint and what it says about each issue in report_issues', () => {
    const report = {
      contents: {
        completedIssues: [entry(10001, 'ENG-1', 3), entry(10002, 'ENG-2', 5, 8)],
        issuesNotCompletedInCurrentSprint: [entry(10003, 'ENG-3', 2)],
        puntedIssues: [entry(10004, 'ENG-4', null)],
        issuesCompletedInAnotherSprint: [],
        completedIssuesEstimateSum: { value: 11, text: '11' },
        issuesNotCompletedEstimateSum: { value: 2, text: '2' },
        allIssuesEstimateSum: { value: 13, text: '13' },
        puntedIssuesEstimateSum: { text: 'null' },
        issueKeysAddedDuringSprint: { 'ENG-2': true, 'ENG-4': true },
      },
    };
    const [row] = transformSprint({ sprint, report }).sprints;
    expect(row).toMatchObject({
      external_id: '12',
      name: 'ENG Sprint 3',
      state: 'closed',
      goal: null,
      board_external_id: '1',
      start_date: '2024-01-04T09:00:00.000Z',
      complete_date: '2024-01-18T11:00:00.000Z',
      has_report: true,
      completed_estimate: 11,
      not_completed_estimate: 2,
      punted_estimate: null,
      total_estimate: 13,
      velocity: 11,
      completion_percentage: 84.62,
      completed_count: 2,
      not_completed_count: 1,
      punted_count: 1,
      scope_change_count: 2,
      carry_over_count: 1,
    });
    expect(row?.report_issues).toEqual({
      '10001': { key: 'ENG-1', outcome: 'completed', addedDuringSprint: false, estimateAtStart: 3, estimateAtEnd: 3 },
      '10002': { key: 'ENG-2', outcome: 'completed', addedDuringSprint: true, estimateAtStart: 5, estimateAtEnd: 8 },
      '10003': { key: 'ENG-3', outcome: 'not_completed', addedDuringSprint: false, estimateAtStart: 2, estimateAtEnd: 2 },
      '10004': { key: 'ENG-4', outcome: 'punted', addedDuringSprint: true, estimateAtStart: null, estimateAtEnd: null },
    });
  });

  it('keeps a sprint without a report, with no report figures', () => {
    const [row] = transformSprint({ sprint: { id: 13, name: 'Future', state: 'future', originBoardId: 2 }, report: null }).sprints;
    expect(row).toMatchObject({ external_id: '13', has_report: false, start_date: null, report_issues: null, velocity: null, completion_percentage: null });
  });

  it('loads nothing for a sprint Jira no longer has (404: the extract stores sprint null)', () => {
    expect(transformSprint({ sprint: null, report: null })).toEqual({ sprints: [] });
  });

  it('refuses a document without a sprint', () => {
    expect(() => transformSprint({ report: null })).toThrow(PermanentError);
  });
});
