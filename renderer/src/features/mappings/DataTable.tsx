import type { ReactNode } from 'react';

import { useAppStore } from '../../app/context';
import type { MappingTable } from '../../store/mappings-slice';

import { nextSort } from './table-model';

export interface ColumnDef<R> {
  readonly label: string;
  /** The table-model sort key; absent for columns that do not sort. */
  readonly sort?: string;
  readonly className?: string;
  readonly render: (row: R) => ReactNode;
}

/**
 * One of the hub's tables: sortable headers bound to the table's view state, one row per item with
 * `data-*` hooks for tests, an actions cell, and a sentence when nothing shows (empty, or filtered out).
 */
export function DataTable<R>({
  table,
  columns,
  rows,
  total,
  rowKey,
  rowTestId,
  rowData,
  inactive,
  actions,
  empty,
}: {
  table: MappingTable;
  columns: readonly ColumnDef<R>[];
  rows: readonly R[];
  /** Rows before filtering: tells "nothing yet" from "nothing matches". */
  total: number;
  rowKey: (row: R) => string | number;
  rowTestId: (row: R) => string;
  rowData?: (row: R) => Record<`data-${string}`, string>;
  inactive?: (row: R) => boolean;
  actions?: (row: R) => ReactNode;
  empty: ReactNode;
}) {
  const view = useAppStore((s) => s.mappingViews[table]);
  const setView = useAppStore((s) => s.setMappingView);
  const span = columns.length + (actions ? 1 : 0);
  return (
    <table className="data-table mapping-table" data-testid={`table-${table}`}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} className={c.className} aria-sort={c.sort && view.sort === c.sort ? (view.descending ? 'descending' : 'ascending') : undefined}>
              {c.sort ? (
                <button type="button" className="sort-button" onClick={() => setView(table, nextSort(view, c.sort!))} data-testid={`sort-${table}-${c.sort}`}>
                  {c.label}
                  {view.sort === c.sort ? (view.descending ? ' ▼' : ' ▲') : ''}
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
          {actions ? <th aria-label="Actions" /> : null}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={span} className="muted" data-testid={`${table}-empty`}>
              {total === 0 ? empty : 'Nothing matches the filters.'}
            </td>
          </tr>
        ) : null}
        {rows.map((row) => (
          <tr key={rowKey(row)} className={inactive?.(row) ? 'inactive' : ''} data-testid={rowTestId(row)} {...(rowData?.(row) ?? {})}>
            {columns.map((c) => (
              <td key={c.label} className={c.className}>
                {c.render(row)}
              </td>
            ))}
            {actions ? <td className="actions">{actions(row)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The active/inactive pill, in words and a glyph (not colour only). */
export function StatePill({ active, label }: { active: boolean; label?: string }) {
  return (
    <span className={`pill ${active ? 'pill-up' : 'pill-inactive'}`} data-testid="row-state">
      <span aria-hidden="true">{active ? '●' : '○'}</span> {label ?? (active ? 'Active' : 'Inactive')}
    </span>
  );
}

export const count = (n: number): string => n.toLocaleString();
