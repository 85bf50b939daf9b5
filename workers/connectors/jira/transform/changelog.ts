import { PermanentError } from '../../../queue/errors';
import type { ChangelogPage, History, Issue } from '../payloads';
import type { FlowInput } from './flow-metrics';
import type { MappingIndex } from './mapping-index';
import type { ChangelogRow } from './rows';
import { parseJiraTimestamp, secondsBetween } from './time';

/**
 * An issue's whole history and its status transitions.
 *
 * The whole history is either the embedded changelog (when it is complete: `total` equals the
 * number of histories) or, for an issue whose embedded changelog was truncated, the changelog pages
 * the extract fetched, which replace it. Anything less would give flow metrics from partial history
 * (the prior system's incremental-run bug), so an incomplete history fails the unit with a
 * PermanentError instead of producing wrong numbers quietly.
 */

export interface TimedHistory {
  readonly history: History;
  readonly at: number;
}

const compareIds = (a: string, b: string): number => {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
};

/** The issue's histories, oldest first (ties by history id), each once. */
export const wholeHistory = (issue: Issue, pages: readonly ChangelogPage[] | undefined): TimedHistory[] => {
  let histories: History[];
  if (pages !== undefined) {
    histories = pages.flatMap((p) => p.values);
    const total = pages[0]?.total;
    const distinct = new Set(histories.map((h) => h.id)).size;
    if (total !== undefined && distinct < total) {
      throw new PermanentError(`The changelog pages of issue ${issue.key} hold ${distinct} of its ${total} histories; the unit is incomplete. Re-extract the issue (its pages must run to the end).`);
    }
  } else {
    const embedded = issue.changelog;
    if (embedded === undefined) {
      throw new PermanentError(`Issue ${issue.key} has no changelog; the issues search must ask for expand=changelog. Re-extract with the current connector.`);
    }
    if (embedded.total !== undefined && embedded.total > embedded.histories.length) {
      throw new PermanentError(
        `Issue ${issue.key} embeds ${embedded.histories.length} of its ${embedded.total} changelog histories and the unit has no changelog pages for it; the extract must fetch /issue/${issue.id}/changelog. Re-extract the page.`,
      );
    }
    histories = embedded.histories;
  }
  const byId = new Map<string, TimedHistory>();
  for (const history of histories) byId.set(history.id, { history, at: parseJiraTimestamp(history.created) as number });
  return [...byId.values()].sort((a, b) => a.at - b.at || compareIds(a.history.id, b.history.id));
};

export interface StatusHistory {
  readonly rows: ChangelogRow[];
  readonly flow: FlowInput;
}

/** The status transitions as changelog rows, and the flow-metrics input, from the sorted whole history. */
export const statusHistory = (issue: Issue, histories: readonly TimedHistory[], index: MappingIndex): StatusHistory => {
  const f = issue.fields;
  const createdAt = parseJiraTimestamp(f.created) as number;
  const current = index.state(f.status.id, f.status.name, f.status.statusCategory?.key ?? null);
  // The current status carries Jira's category, which the history alone does not.
  const stateOf = (id: string, name: string | null) => (id === f.status.id ? current : index.state(id, name));
  const moves: { history: History; itemIndex: number; at: number; from: string | null; fromName: string | null; to: string; toName: string | null }[] = [];
  for (const { history, at } of histories) {
    history.items.forEach((item, itemIndex) => {
      // fieldId is authoritative; old entries without one name the system field (a custom field called "status" has fieldtype custom).
      const isStatus = item.fieldId === undefined ? item.field === 'status' && item.fieldtype !== 'custom' : item.fieldId === 'status';
      if (!isStatus) return;
      if (item.to === null || item.to === undefined || item.to === '') return;
      moves.push({ history, itemIndex, at, from: item.from ?? null, fromName: item.fromString ?? null, to: item.to, toName: item.toString ?? null });
    });
  }
  const first = moves[0];
  // The status the issue was created in: where its first transition started (else where it is now).
  const initial = first && first.from !== null ? stateOf(first.from, first.fromName) : current;
  const rows: ChangelogRow[] = [];
  const transitions: FlowInput['transitions'][number][] = [];
  let since = createdAt;
  let fromState = initial;
  for (const m of moves) {
    const to = stateOf(m.to, m.toName);
    const from = m.from === null ? fromState : stateOf(m.from, m.fromName);
    const end = Math.max(m.at, since);
    rows.push({
      work_item_external_id: issue.id,
      work_item_key: issue.key,
      history_id: m.history.id,
      item_index: m.itemIndex,
      from_status_external_id: m.from,
      from_status_name: from.statusName,
      to_status_external_id: m.to,
      to_status_name: to.statusName,
      from_step: from.step,
      to_step: to.step,
      from_category: from.category,
      to_category: to.category,
      transition_start: new Date(since).toISOString(),
      transition_end: new Date(end).toISOString(),
      time_in_status_seconds: secondsBetween(since, end),
      changed_by: m.history.author?.displayName ?? null,
      changed_by_account_id: m.history.author?.accountId ?? null,
    });
    transitions.push({ at: end, to });
    since = end;
    fromState = to;
  }
  return { rows, flow: { createdAt, initial, transitions, commitmentStep: index.commitmentStep } };
};
