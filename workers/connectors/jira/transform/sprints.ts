import { SprintDocument, type ReportIssue, type SprintReport } from '../payloads';
import { parsePayload } from './parse';
import type { SprintRow } from './rows';
import { toIsoOrNull } from './time';

/**
 * The `sprints` stream: one sprint (agile API) with its sprint report (greenhopper), or without one
 * when the board has no report. The report's figures go on the sprint row, and what it says about
 * each issue goes into `report_issues` (by issue id), from which load fills the outcome columns of
 * work_items_sprints whichever of the two loads last (see load.ts).
 *
 * Definitions (as the prior system's, with the report's own lists):
 * - completed / not_completed / punted estimates: the report's estimate sums; total: all issues;
 * - velocity: the completed estimate; completion_percentage: completed / total * 100 (null when the
 *   total is 0 or unknown);
 * - scope_change_count: issues added after the sprint started; carry_over_count: issues not
 *   completed in the sprint (they carry over to the next one).
 */

export type Outcome = 'completed' | 'not_completed' | 'punted' | 'completed_another_sprint';

/** What the report says about one issue (the values of `report_issues`). */
export interface ReportIssueFacts {
  key: string;
  outcome: Outcome;
  addedDuringSprint: boolean;
  estimateAtStart: number | null;
  estimateAtEnd: number | null;
}

const sum = (e: { value?: number | null | undefined } | null | undefined): number | null => (typeof e?.value === 'number' && Number.isFinite(e.value) ? e.value : null);
const estimate = (s: ReportIssue['estimateStatistic']): number | null => sum(s?.statFieldValue);
const round2 = (n: number): number => Math.round(n * 100) / 100;

const reportIssues = (report: SprintReport): Record<string, ReportIssueFacts> => {
  const c = report.contents;
  const added = new Set(Object.keys(c.issueKeysAddedDuringSprint ?? {}));
  const out: Record<string, ReportIssueFacts> = Object.create(null) as Record<string, ReportIssueFacts>; // keyed by issue ids from the payload
  const put = (list: ReportIssue[], outcome: Outcome): void => {
    for (const i of list) {
      out[i.id] = { key: i.key, outcome, addedDuringSprint: added.has(i.key), estimateAtStart: estimate(i.estimateStatistic), estimateAtEnd: estimate(i.currentEstimateStatistic ?? i.estimateStatistic) };
    }
  };
  put(c.issuesNotCompletedInCurrentSprint, 'not_completed');
  put(c.puntedIssues, 'punted');
  put(c.issuesCompletedInAnotherSprint, 'completed_another_sprint');
  put(c.completedIssues, 'completed');
  return out;
};

export const transformSprint = (payload: unknown): { sprints: SprintRow[] } => {
  const { sprint, report } = parsePayload(SprintDocument, payload, 'sprint document');
  if (sprint === null) return { sprints: [] }; // deleted in Jira since an issue named it
  const base = {
    external_id: String(sprint.id),
    name: sprint.name,
    state: sprint.state ?? null,
    goal: sprint.goal ? sprint.goal : null,
    board_external_id: sprint.originBoardId === null || sprint.originBoardId === undefined ? null : String(sprint.originBoardId),
    created_date: toIsoOrNull(sprint.createdDate),
    start_date: toIsoOrNull(sprint.startDate),
    end_date: toIsoOrNull(sprint.endDate),
    complete_date: toIsoOrNull(sprint.completeDate),
  };
  if (report === null) {
    return {
      sprints: [
        {
          ...base,
          has_report: false,
          completed_estimate: null,
          not_completed_estimate: null,
          punted_estimate: null,
          total_estimate: null,
          completion_percentage: null,
          velocity: null,
          completed_count: null,
          not_completed_count: null,
          punted_count: null,
          completed_in_another_sprint_count: null,
          scope_change_count: null,
          carry_over_count: null,
          report_issues: null,
        },
      ],
    };
  }
  const c = report.contents;
  const completed = sum(c.completedIssuesEstimateSum);
  const total = sum(c.allIssuesEstimateSum);
  return {
    sprints: [
      {
        ...base,
        has_report: true,
        completed_estimate: completed,
        not_completed_estimate: sum(c.issuesNotCompletedEstimateSum),
        punted_estimate: sum(c.puntedIssuesEstimateSum),
        total_estimate: total,
        completion_percentage: completed !== null && total !== null && total > 0 ? round2((completed / total) * 100) : null,
        velocity: completed,
        completed_count: c.completedIssues.length,
        not_completed_count: c.issuesNotCompletedInCurrentSprint.length,
        punted_count: c.puntedIssues.length,
        completed_in_another_sprint_count: c.issuesCompletedInAnotherSprint.length,
        scope_change_count: Object.keys(c.issueKeysAddedDuringSprint ?? {}).length,
        carry_over_count: c.issuesNotCompletedInCurrentSprint.length,
        report_issues: reportIssues(report),
      },
    ],
  };
};
