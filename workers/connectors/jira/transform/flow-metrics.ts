import type { FlowState } from './mapping-index';
import { secondsBetween } from './time';

/**
 * Flow metrics of one issue, from its WHOLE status history (the prior system used only the entries
 * new to an incremental run, and Jira's three categories instead of the tenant's workflow: both
 * wrong). The history is the creation in its initial status followed by every status
 * transition in time order; each status is a FlowState (mapping-index.ts): a workflow step with a
 * number and a category, or, when unmapped, Jira's category and no step number.
 *
 * Let C be the step number of the tenant's commitment point. Definitions, for each entry into a
 * state S from the previous state P (the creation is an entry with no P):
 * - committed(S): S is not Discarded, and S's step number is >= C; when S has no step number (an
 *   unmapped status) or the workflow has no commitment point, S is committed when its category is
 *   In Progress, Waiting or Done. Before the commitment point: not committed and not Discarded.
 * - first_committed_at: the first entry into a committed state from an uncommitted one (or creation).
 * - start: entering an In Progress step from outside the active phase (To Do, Done, Discarded, or
 *   creation); In Progress ⇄ Waiting moves are flow within the work, not new starts.
 *   first_started_at / last_started_at: the first / last start; work_starts counts them.
 * - completion: entering a Done step from a step that is not Done (or being created in one).
 *   first_completed_at / last_completed_at: the first / last; completions counts them.
 * - backlog return: P committed and S before the commitment point; backlog_returns counts them.
 * - rework: S is In Progress or Waiting and its step number is lower than P's (sent back), or P is
 *   Done and S is neither Done nor Discarded (reopened); rework_count counts transitions that are
 *   either (a transition that is both counts once).
 * - cycle_time_seconds = last completion - first start; lead_time_seconds = last completion - first
 *   commitment; both only while the issue is in a Done step (null when open, reopened or discarded).
 * - time_in_steps: seconds spent per step (per status name when unmapped), over the closed intervals
 *   only: transform reads no clock, so the time in the current step is left to the reader, from
 *   current_step_since (the last transition, or creation).
 * - discarded: the issue is in a Discarded step now.
 * - unmapped_statuses: the statuses of the history that no mapping matched, in order of appearance.
 * Transitions with identical timestamps keep their changelog order and count as zero-length stays.
 */

export interface FlowInput {
  readonly createdAt: number;
  readonly initial: FlowState;
  /** In time order. */
  readonly transitions: readonly { readonly at: number; readonly to: FlowState }[];
  readonly commitmentStep: number | null;
}

export interface FlowMetrics {
  first_committed_at: string | null;
  first_started_at: string | null;
  last_started_at: string | null;
  first_completed_at: string | null;
  last_completed_at: string | null;
  work_starts: number;
  completions: number;
  backlog_returns: number;
  rework_count: number;
  cycle_time_seconds: number | null;
  lead_time_seconds: number | null;
  time_in_steps: Record<string, number>;
  current_step_since: string;
  discarded: boolean;
  unmapped_statuses: string[];
}

const active = (s: FlowState): boolean => s.category === 'In Progress' || s.category === 'Waiting';

export const isCommitted = (s: FlowState, commitmentStep: number | null): boolean => {
  if (s.category === 'Discarded') return false;
  if (s.stepNumber !== null && commitmentStep !== null) return s.stepNumber >= commitmentStep;
  return active(s) || s.category === 'Done';
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export const flowMetrics = ({ createdAt, initial, transitions, commitmentStep }: FlowInput): FlowMetrics => {
  const committed = (s: FlowState): boolean => isCommitted(s, commitmentStep);
  let firstCommitted: number | null = null;
  let firstStart: number | null = null;
  let lastStart: number | null = null;
  let firstDone: number | null = null;
  let lastDone: number | null = null;
  let starts = 0;
  let completions = 0;
  let backlogReturns = 0;
  let rework = 0;
  const timeMs = new Map<string, number>();
  const unmapped: string[] = [];
  const unmappedSeen = new Set<string>();

  const enter = (s: FlowState, prev: FlowState | null, at: number): void => {
    if (!s.mapped && !unmappedSeen.has(s.label)) {
      unmappedSeen.add(s.label);
      unmapped.push(s.label);
    }
    if (firstCommitted === null && committed(s) && (prev === null || !committed(prev))) firstCommitted = at;
    if (s.category === 'In Progress' && (prev === null || !active(prev))) {
      starts += 1;
      firstStart ??= at;
      lastStart = at;
    }
    if (s.category === 'Done' && (prev === null || prev.category !== 'Done')) {
      completions += 1;
      firstDone ??= at;
      lastDone = at;
    }
    if (prev === null) return;
    if (committed(prev) && !committed(s) && s.category !== 'Discarded') backlogReturns += 1;
    const reopened = prev.category === 'Done' && s.category !== 'Done' && s.category !== 'Discarded';
    const sentBack = active(s) && prev.stepNumber !== null && s.stepNumber !== null && s.stepNumber < prev.stepNumber;
    if (reopened || sentBack) rework += 1;
  };

  let current = initial;
  let since = createdAt;
  enter(initial, null, createdAt);
  for (const t of transitions) {
    const at = Math.max(t.at, since); // a history entry dated before the previous one stays a zero-length stay
    timeMs.set(current.label, (timeMs.get(current.label) ?? 0) + (at - since));
    enter(t.to, current, at);
    current = t.to;
    since = at;
  }

  const done = current.category === 'Done';
  const timeInSteps: Record<string, number> = {};
  for (const [label, ms] of timeMs) timeInSteps[label] = secondsBetween(0, ms);
  return {
    first_committed_at: iso(firstCommitted),
    first_started_at: iso(firstStart),
    last_started_at: iso(lastStart),
    first_completed_at: iso(firstDone),
    last_completed_at: iso(lastDone),
    work_starts: starts,
    completions,
    backlog_returns: backlogReturns,
    rework_count: rework,
    cycle_time_seconds: done && firstStart !== null && lastDone !== null ? secondsBetween(firstStart, lastDone) : null,
    lead_time_seconds: done && firstCommitted !== null && lastDone !== null ? secondsBetween(firstCommitted, lastDone) : null,
    time_in_steps: timeInSteps,
    current_step_since: new Date(since).toISOString(),
    discarded: current.category === 'Discarded',
    unmapped_statuses: unmapped,
  };
};
