import type { ReactNode } from 'react';

import { useAppStore } from '../../app/context';
import type { MappingTable } from '../../store/mappings-slice';

export interface FilterOption {
  readonly value: string;
  readonly label: string;
}

/**
 * Search, state and one table-specific filter, bound to the table's view state; `children` go on the
 * right (the tab's "New…" button).
 */
export function TableToolbar({
  table,
  placeholder,
  filterLabel,
  filterOptions,
  withState = true,
  children,
}: {
  table: MappingTable;
  placeholder: string;
  filterLabel?: string;
  filterOptions?: readonly FilterOption[];
  withState?: boolean;
  children?: ReactNode;
}) {
  const view = useAppStore((s) => s.mappingViews[table]);
  const setView = useAppStore((s) => s.setMappingView);
  return (
    <div className="toolbar" role="search">
      <input className="input" placeholder={placeholder} aria-label={placeholder} value={view.search} onChange={(e) => setView(table, { search: e.target.value })} data-testid={`filter-${table}-search`} />
      {filterOptions && filterLabel ? (
        <select className="select" aria-label={filterLabel} value={view.filter} onChange={(e) => setView(table, { filter: e.target.value })} data-testid={`filter-${table}-filter`}>
          <option value="all">{filterLabel}: all</option>
          {filterOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : null}
      {withState ? (
        <select className="select" aria-label="State" value={view.state} onChange={(e) => setView(table, { state: e.target.value as typeof view.state })} data-testid={`filter-${table}-state`}>
          <option value="all">Active and inactive</option>
          <option value="active">Active only</option>
          <option value="inactive">Inactive only</option>
        </select>
      ) : null}
      {children ? <div className="toolbar-end">{children}</div> : null}
    </div>
  );
}
