import { describe, expect, it } from 'vitest';

import { flowMetrics, isCommitted } from './flow-metrics';
import { indexMappings } from './mapping-index';
import { EMPTY_MAPPINGS, type JiraMappings } from './mappings-schema';

const workflow: JiraMappings['workflow'] = [
  { stepName: 'Backlog', stepNumber: 1, stepCategory: 'To Do', isCommitmentPoint: false },
  { stepName: 'Ready', stepNumber: 2, stepCategory: 'To Do', isCommitmentPoint: false },
  { stepName: 'To Do', stepNumber: 3, stepCategory: 'To Do', isCommitmentPoint: true },
  { stepName: 'In Progress', stepNumber: 4, stepCategory: 'In Progress', isCommitmentPoint: false },
  { stepName: 'Review wait', stepNumber: 5, stepCategory: 'Waiting', isCommitmentPoint: false },
  { stepName: 'Testing', stepNumber: 6, stepCategory: 'In Progress', isCommitmentPoint: false },
  { stepName: 'Done', stepNumber: 7, stepCategory: 'Done', isCommitmentPoint: false },
  { stepName: 'Discarded', stepNumber: null, stepCategory: 'Discarded', isCommitmentPoint: false },
];
const step = (statusFrom: string, stepName: string) => {
  const w = workflow.find((x) => x.stepName === stepName)!;
  return { statusFrom, stepName, stepNumber: w.stepNumber, category: w.stepCategory };
};
const mappings: JiraMappings = {
  ...EMPTY_MAPPINGS,
  workflow,
  statuses: [
    step('Backlog', 'Backlog'),
    step('Refine', 'Ready'),
    step('Selected', 'To Do'),
    step('In Progress', 'In Progress'),
    step('Ready for QA', 'Review wait'),
    step('QA', 'Testing'),
    step('Done', 'Done'),
    step('Closed', 'Done'),
    step("Won't Do", 'Discarded'),
  ],
};
const index = indexMappings(mappings);
const S = (name: string, category: string | null = null) => index.state(null, name, category);

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const at = (hours: number) => T0 + hours * HOUR;
const iso = (hours: number) => new Date(at(hours)).toISOString();

/** created at T0 in `initial`, then each [hours, status]. */
const run = (initial: string, moves: [number, string, string?][], commitmentStep = index.commitmentStep) =>
  flowMetrics({ createdAt: at(0), initial: S(initial), transitions: moves.map(([h, name, cat]) => ({ at: at(h), to: S(name, cat ?? null) })), commitmentStep });

describe('flow metrics', () => {
  it('an issue with no changelog has only its creation: nothing started, all time still open', () => {
    const m = run('Backlog', []);
    expect(m).toMatchObject({ first_committed_at: null, first_started_at: null, first_completed_at: null, work_starts: 0, completions: 0, backlog_returns: 0, rework_count: 0, cycle_time_seconds: null, lead_time_seconds: null, discarded: false, unmapped_statuses: [] });
    expect(m.time_in_steps).toEqual({});
    expect(m.current_step_since).toBe(iso(0));
  });

  it('an issue created in progress is committed and started at creation', () => {
    const m = run('In Progress', []);
    expect(m.first_committed_at).toBe(iso(0));
    expect(m.first_started_at).toBe(iso(0));
    expect(m.work_starts).toBe(1);
  });

  it('an issue created directly in Done is completed and committed at creation, with no start and a zero lead time', () => {
    const m = run('Done', []);
    expect(m).toMatchObject({ first_completed_at: iso(0), last_completed_at: iso(0), completions: 1, first_committed_at: iso(0), first_started_at: null, cycle_time_seconds: null, lead_time_seconds: 0 });
  });

  it('follows a straight path: commitment, one start, completion, cycle and lead time, time per step', () => {
    const m = run('Backlog', [[10, 'Selected'], [20, 'In Progress'], [30, 'Ready for QA'], [35, 'QA'], [50, 'Done']]);
    expect(m).toMatchObject({
      first_committed_at: iso(10),
      first_started_at: iso(20),
      last_started_at: iso(20),
      first_completed_at: iso(50),
      last_completed_at: iso(50),
      work_starts: 1,
      completions: 1,
      backlog_returns: 0,
      rework_count: 0,
      cycle_time_seconds: 30 * 3600,
      lead_time_seconds: 40 * 3600,
      current_step_since: iso(50),
    });
    expect(m.time_in_steps).toEqual({ Backlog: 36_000, 'To Do': 36_000, 'In Progress': 36_000, 'Review wait': 18_000, Testing: 54_000 });
  });

  it('a reopened issue counts rework, a second start and completion, and measures to the last completion', () => {
    const m = run('Backlog', [[10, 'Selected'], [20, 'In Progress'], [30, 'Done'], [40, 'In Progress'], [45, 'Closed']]);
    expect(m).toMatchObject({ work_starts: 2, completions: 2, rework_count: 1, first_started_at: iso(20), last_started_at: iso(40), first_completed_at: iso(30), last_completed_at: iso(45), cycle_time_seconds: 25 * 3600, lead_time_seconds: 35 * 3600 });
    expect(m.time_in_steps.Done).toBe(10 * 3600);
  });

  it('an open reopened issue has no cycle or lead time', () => {
    const m = run('Backlog', [[10, 'In Progress'], [20, 'Done'], [30, 'In Progress']]);
    expect(m).toMatchObject({ cycle_time_seconds: null, lead_time_seconds: null, rework_count: 1, completions: 1 });
  });

  it('sending work back to an earlier active step is rework but not a new start', () => {
    const m = run('Selected', [[1, 'In Progress'], [2, 'Ready for QA'], [3, 'QA'], [4, 'In Progress'], [5, 'QA'], [6, 'Done']]);
    expect(m).toMatchObject({ rework_count: 1, work_starts: 1, completions: 1, backlog_returns: 0 });
  });

  it('moving from a committed step back before the commitment point is a backlog return; starting again is a new start', () => {
    const m = run('Backlog', [[1, 'Selected'], [2, 'In Progress'], [3, 'Refine'], [4, 'In Progress'], [5, 'Done']]);
    expect(m).toMatchObject({ backlog_returns: 1, work_starts: 2, first_committed_at: iso(1), first_started_at: iso(2), last_started_at: iso(4), rework_count: 0, lead_time_seconds: 4 * 3600 });
  });

  it('moving within the steps before the commitment point is not a backlog return', () => {
    expect(run('Refine', [[1, 'Backlog'], [2, 'Refine']]).backlog_returns).toBe(0);
  });

  it('falls back to the Jira category for unmapped statuses, flags them and times them under their name', () => {
    const m = run('Backlog', [[1, 'Doing it', 'indeterminate'], [3, 'Shipped', 'done'], [4, 'Triage', 'undefined']]);
    expect(m.unmapped_statuses).toEqual(['Doing it', 'Shipped', 'Triage']);
    expect(m).toMatchObject({ work_starts: 1, first_started_at: iso(1), completions: 1, first_completed_at: iso(3), first_committed_at: iso(1), backlog_returns: 1, rework_count: 1 });
    expect(m.time_in_steps).toEqual({ Backlog: 3600, 'Doing it': 7200, Shipped: 3600 });
  });

  it('a discarded issue is flagged, not completed, and has no cycle or lead time', () => {
    const m = run('Backlog', [[1, 'In Progress'], [2, 'Done'], [3, "Won't Do"]]);
    expect(m).toMatchObject({ discarded: true, completions: 1, cycle_time_seconds: null, lead_time_seconds: null, rework_count: 0, backlog_returns: 0 });
    expect(run('Backlog', [[1, "Won't Do"]])).toMatchObject({ discarded: true, completions: 0, first_committed_at: null });
  });

  it('identical timestamps keep their order and count as zero-length stays', () => {
    const m = run('Backlog', [[5, 'In Progress'], [5, 'Ready for QA'], [5, 'QA'], [8, 'Done']]);
    expect(m).toMatchObject({ work_starts: 1, first_started_at: iso(5), cycle_time_seconds: 3 * 3600 });
    expect(m.time_in_steps).toEqual({ Backlog: 5 * 3600, 'In Progress': 0, 'Review wait': 0, Testing: 3 * 3600 });
  });

  it('a history entry dated before the creation counts from the creation, never negatively', () => {
    const m = run('Backlog', [[-2, 'In Progress']]);
    expect(m.first_started_at).toBe(iso(0));
    expect(m.time_in_steps.Backlog).toBe(0);
  });

  it('without a commitment point, commitment is the first entry into active work or Done', () => {
    const m = run('Backlog', [[1, 'Selected'], [2, 'Ready for QA'], [3, 'Done']], null);
    expect(m.first_committed_at).toBe(iso(2));
  });

  it('the commitment point itself and every later step are committed; Discarded never is', () => {
    const c = index.commitmentStep;
    expect(c).toBe(3);
    expect(isCommitted(S('Refine'), c)).toBe(false);
    expect(isCommitted(S('Selected'), c)).toBe(true);
    expect(isCommitted(S('Done'), c)).toBe(true);
    expect(isCommitted(S("Won't Do"), c)).toBe(false);
  });
});
