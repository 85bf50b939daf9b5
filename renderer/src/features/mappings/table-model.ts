import type { CustomField, Hierarchy, StatusMapping, UnmappedValues, WitMapping, WorkflowStep } from '../../../../shared/contract/mappings';
import type { TableView } from '../../store/mappings-slice';

/**
 * Filtering and sorting of the hub's tables, client-side (a few hundred rows at most). Each table
 * declares what its search box reads, whether rows have an active state, its second filter, and a
 * sort key per sortable column; `visibleRows` applies a TableView to rows with that spec.
 */

type Key = string | number | boolean | null;

export interface TableSpec<R> {
  /** The texts the search box matches (case-insensitive substring). */
  readonly text: (row: R) => readonly (string | null)[];
  readonly active?: (row: R) => boolean;
  /** The table's second filter; `value` is never 'all'. */
  readonly filter?: (row: R, value: string) => boolean;
  readonly sorts: Readonly<Record<string, (row: R) => Key>>;
}

const compareKeys = (a: string | number | boolean, b: string | number | boolean): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Active (true) before inactive when ascending.
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(b) - Number(a);
  return String(a).localeCompare(String(b), undefined, { sensitivity: 'base', numeric: true });
};

export function visibleRows<R>(rows: readonly R[], view: TableView, spec: TableSpec<R>): R[] {
  const needle = view.search.trim().toLowerCase();
  const out = rows.filter((r) => {
    if (spec.active && view.state !== 'all' && spec.active(r) !== (view.state === 'active')) return false;
    if (spec.filter && view.filter !== 'all' && !spec.filter(r, view.filter)) return false;
    return !needle || spec.text(r).some((t) => t !== null && t.toLowerCase().includes(needle));
  });
  const key = spec.sorts[view.sort] ?? Object.values(spec.sorts)[0];
  if (!key) return out;
  const direction = view.descending ? -1 : 1;
  const byText = (a: R, b: R): number => (spec.text(a)[0] ?? '').localeCompare(spec.text(b)[0] ?? '', undefined, { sensitivity: 'base' });
  return out.sort((a, b) => {
    const ka: Key = key(a);
    const kb: Key = key(b);
    // Empty values (a step without a number) go last in either direction.
    if (ka === null || kb === null) return ka === kb ? byText(a, b) : ka === null ? 1 : -1;
    return direction * compareKeys(ka, kb) || byText(a, b);
  });
}

/** Clicking the sorted column flips the direction; another column sorts ascending. */
export const nextSort = (view: TableView, sort: string): Pick<TableView, 'sort' | 'descending'> => (view.sort === sort ? { sort, descending: !view.descending } : { sort, descending: false });

export const hierarchySpec: TableSpec<Hierarchy> = {
  text: (h) => [h.levelName, h.description, String(h.levelNumber)],
  active: (h) => h.active,
  sorts: { levelNumber: (h) => h.levelNumber, levelName: (h) => h.levelName, mappings: (h) => h.mappings, workItems: (h) => h.workItems, active: (h) => h.active },
};

/** filter: a level id. */
export const witSpec: TableSpec<WitMapping> = {
  text: (m) => [m.witFrom, m.witTo, m.levelName],
  active: (m) => m.active,
  filter: (m, level) => String(m.hierarchyId) === level,
  sorts: { witFrom: (m) => m.witFrom, witTo: (m) => m.witTo, level: (m) => m.levelNumber, workItems: (m) => m.workItems, active: (m) => m.active },
};

/** filter: `step:<id>` or `category:<name>`. */
export const statusSpec: TableSpec<StatusMapping> = {
  text: (m) => [m.statusFrom, m.stepName, m.statusCategory],
  active: (m) => m.active,
  filter: (m, f) => (f.startsWith('step:') ? String(m.workflowId) === f.slice(5) : m.statusCategory === f.slice('category:'.length)),
  sorts: { statusFrom: (m) => m.statusFrom, step: (m) => m.stepNumber, category: (m) => m.statusCategory, workItems: (m) => m.workItems, active: (m) => m.active },
};

/** filter: a category, or `commitment`. */
export const workflowSpec: TableSpec<WorkflowStep> = {
  text: (w) => [w.stepName, w.stepCategory, w.stepNumber === null ? null : String(w.stepNumber)],
  active: (w) => w.active,
  filter: (w, f) => (f === 'commitment' ? w.isCommitmentPoint : w.stepCategory === f),
  sorts: { stepNumber: (w) => w.stepNumber, stepName: (w) => w.stepName, category: (w) => w.stepCategory, statusMappings: (w) => w.statusMappings, workItems: (w) => w.workItems, active: (w) => w.active },
};

/** filter: `custom` or `system`. */
export const fieldSpec: TableSpec<CustomField> = {
  text: (f) => [f.name, f.externalId, f.fieldType, f.schemaCustom],
  filter: (f, kind) => f.custom === (kind === 'custom'),
  sorts: { name: (f) => f.name, externalId: (f) => f.externalId, fieldType: (f) => f.fieldType },
};

export type UnmappedType = UnmappedValues['types'][number];
export type UnmappedStatus = UnmappedValues['statuses'][number];

/** filter: `open` (no mapping yet) or `mapped` (mapped since the load). */
const mappedFilter = (row: { mappedNow: boolean }, f: string): boolean => row.mappedNow === (f === 'mapped');

export const unmappedTypeSpec: TableSpec<UnmappedType> = {
  text: (t) => [t.name],
  filter: mappedFilter,
  sorts: { name: (t) => t.name, workItems: (t) => t.workItems, jiraLevel: (t) => t.jiraHierarchyLevel },
};

export const unmappedStatusSpec: TableSpec<UnmappedStatus> = {
  text: (s) => [s.name],
  filter: mappedFilter,
  sorts: { name: (s) => s.name, workItems: (s) => s.current + s.inHistory, current: (s) => s.current, inHistory: (s) => s.inHistory },
};
