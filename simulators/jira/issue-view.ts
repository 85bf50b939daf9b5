/**
 * Shapes a stored issue for a response: `fields` selection (`*all`, `*navigable`, names, `-name`, default
 * `id` only), `expand=changelog` with the embedded changelog truncated to the most recent entries as Jira
 * Cloud does, and `names`/`schema` maps.
 */
import type { JiraIssue, Json, JsonObject } from '../world/types';

export interface FieldSelection {
  all: boolean;
  include: Set<string>;
  exclude: Set<string>;
}

export function parseFieldSelection(tokens: readonly string[]): FieldSelection {
  const sel: FieldSelection = { all: false, include: new Set(), exclude: new Set() };
  for (const t of tokens.length ? tokens : ['id']) {
    if (t === '*all' || t === '*navigable') sel.all = true;
    else if (t.startsWith('-')) sel.exclude.add(t.slice(1));
    else if (t !== 'id') sel.include.add(t);
  }
  return sel;
}

export function selectsFields(sel: FieldSelection): boolean {
  return sel.all || sel.include.size > 0;
}

/** The embedded changelog: newest first, at most `cap` histories, `total` telling how many exist. */
export function embeddedChangelog(issue: JiraIssue, cap: number): JsonObject {
  const log = issue.changelog as JsonObject | undefined;
  const histories = (log?.histories as Json[] | undefined) ?? [];
  if (log && histories.length <= cap) return log;
  return { startAt: 0, maxResults: Math.min(cap, histories.length), total: histories.length, histories: histories.slice(0, cap) };
}

export function viewIssue(issue: JiraIssue, sel: FieldSelection, expand: ReadonlySet<string>, changelogCap: number): JsonObject {
  const { changelog: _stored, fields, ...rest } = issue;
  const out: JsonObject = { ...rest };
  if (selectsFields(sel)) {
    if (sel.all && sel.exclude.size === 0) out.fields = fields;
    else {
      const picked: JsonObject = {};
      for (const [k, v] of Object.entries(fields)) {
        if ((sel.all || sel.include.has(k)) && !sel.exclude.has(k)) picked[k] = v;
      }
      out.fields = picked;
    }
  }
  if (expand.has('changelog')) out.changelog = embeddedChangelog(issue, changelogCap);
  return out;
}

/** Breaks one record on purpose (fault `poison`): a non-date `updated` and a string issue type. */
export function poisonIssue(view: JsonObject): JsonObject {
  if (view.fields && typeof view.fields === 'object') {
    return { ...view, fields: { ...(view.fields as JsonObject), updated: '31/02/2025 25:61', issuetype: 'BROKEN' } };
  }
  return { ...view, id: 'not-a-number' };
}

export function namesAndSchema(fieldDefs: readonly JsonObject[], issues: readonly JsonObject[]): { names: JsonObject; schema: JsonObject } {
  const used = new Set<string>();
  for (const i of issues) for (const k of Object.keys((i.fields as JsonObject | undefined) ?? {})) used.add(k);
  const names: JsonObject = {};
  const schema: JsonObject = {};
  for (const f of fieldDefs) {
    const id = f.id as string;
    if (!used.has(id)) continue;
    names[id] = f.name as Json;
    if (f.schema) schema[id] = f.schema;
  }
  return { names, schema };
}
