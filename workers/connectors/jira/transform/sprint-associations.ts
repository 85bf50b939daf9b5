import type { ChangeItem, Issue } from '../payloads';
import type { TimedHistory } from './changelog';
import { firstValue, type FieldPlan } from './custom-fields';
import type { WorkItemSprintRow } from './rows';
import { parseJiraTimestamp } from './time';

/**
 * The sprints an issue is or was in, from its sprint field (where it is now) and the sprint field's
 * changelog (when it joined and left each one). Sprint rows themselves come from the `sprints`
 * stream; these rows name sprints by id only, so either may load first.
 *
 * - added_at: the last time the issue was added to the sprint; the issue's creation when the
 *   history never shows it being added (created straight into the sprint).
 * - removed_at: when it left the sprint, for a sprint it is no longer in; null while it is in it.
 * - in_sprint: the sprint field holds the sprint now (the field, not the history, is authoritative).
 * - carried_over_from / to: the sprint before / after this one in the field's list. Jira keeps a
 *   closed sprint in the field when unfinished work moves on, so consecutive entries are carry-overs.
 */

interface SprintRef {
  readonly id: string;
  readonly name: string | null;
}

const LEGACY = /\bid=(\d+)[,\]]/;
const LEGACY_NAME = /\bname=([^,\]]*)/;

/** The sprint field's value: agile sprint objects, or the legacy `...Sprint@x[id=1,...,name=Sprint 1,...]` strings. */
const sprintRefs = (value: unknown): SprintRef[] => {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  const out: SprintRef[] = [];
  for (const v of list) {
    if (v !== null && typeof v === 'object' && 'id' in v) {
      const o = v as { id: unknown; name?: unknown };
      if (typeof o.id === 'number' || (typeof o.id === 'string' && o.id !== '')) out.push({ id: String(o.id), name: typeof o.name === 'string' ? o.name : null });
    } else if (typeof v === 'string') {
      const id = LEGACY.exec(v)?.[1];
      if (id) out.push({ id, name: LEGACY_NAME.exec(v)?.[1] ?? null });
    } else if (typeof v === 'number') out.push({ id: String(v), name: null });
  }
  return out;
};

const idList = (s: string | null | undefined): string[] => (s ? s.split(',').map((x) => x.trim()).filter((x) => x !== '') : []);

/** Names aligned with ids when the changelog's display string splits into as many parts (a name may contain a comma). */
const namesOf = (ids: string[], display: string | null | undefined, into: Map<string, string>): void => {
  const parts = display ? display.split(', ') : [];
  if (parts.length !== ids.length) return;
  ids.forEach((id, i) => {
    if (!into.has(id) && parts[i]) into.set(id, parts[i]!);
  });
};

const isSprintItem = (item: ChangeItem, fieldIds: readonly string[]): boolean =>
  item.fieldId !== undefined ? fieldIds.includes(item.fieldId) || (fieldIds.length === 0 && item.field.toLowerCase() === 'sprint') : item.field.toLowerCase() === 'sprint';

export const sprintAssociations = (issue: Issue, histories: readonly TimedHistory[], plan: FieldPlan): WorkItemSprintRow[] => {
  const fields = issue.fields as Record<string, unknown>;
  const current = sprintRefs(firstValue(fields, plan.sprints));
  const names = new Map<string, string>();
  for (const s of current) if (s.name !== null) names.set(s.id, s.name);
  const added = new Map<string, number>();
  const removed = new Map<string, number>();
  const seen: string[] = current.map((s) => s.id);
  for (const { history, at } of histories) {
    for (const item of history.items) {
      if (!isSprintItem(item, plan.sprints)) continue;
      const from = idList(item.from);
      const to = idList(item.to);
      namesOf(to, item.toString, names);
      namesOf(from, item.fromString, names);
      for (const id of to) if (!from.includes(id)) added.set(id, at);
      for (const id of from) if (!to.includes(id)) removed.set(id, at);
      for (const id of [...from, ...to]) if (!seen.includes(id)) seen.push(id);
    }
  }
  const created = new Date(parseJiraTimestamp(issue.fields.created) as number).toISOString();
  const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
  const position = new Map(current.map((s, i) => [s.id, i]));
  return seen.map((id) => {
    const at = position.get(id);
    const inSprint = at !== undefined;
    return {
      work_item_external_id: issue.id,
      work_item_key: issue.key,
      sprint_external_id: id,
      sprint_name: names.get(id) ?? null,
      added_at: iso(added.get(id)) ?? created,
      removed_at: inSprint ? null : iso(removed.get(id)),
      in_sprint: inSprint,
      carried_over_from_sprint_id: inSprint && at > 0 ? current[at - 1]!.id : null,
      carried_over_to_sprint_id: inSprint && at < current.length - 1 ? current[at + 1]!.id : null,
    };
  });
};
