import type { Integration } from '../../../../shared/contract/integrations';
import { useAppStore } from '../../app/context';
import type { IntegrationSort } from '../../store/types';

import { nextSort, providerLabels, visibleIntegrations } from './list-view';

const columns: { id: IntegrationSort | null; label: string }[] = [
  { id: 'name', label: 'Name' },
  { id: 'provider', label: 'Provider' },
  { id: null, label: 'URL' },
  { id: null, label: 'Token' },
  { id: 'state', label: 'State' },
  { id: 'updated', label: 'Updated' },
];

export function IntegrationFilters() {
  const view = useAppStore((s) => s.integrationView);
  const setView = useAppStore((s) => s.setIntegrationView);
  return (
    <div className="toolbar" role="search">
      <input className="input" placeholder="Filter by name or URL" value={view.search} onChange={(e) => setView({ search: e.target.value })} aria-label="Filter by name or URL" data-testid="filter-search" />
      <select className="select" value={view.provider} onChange={(e) => setView({ provider: e.target.value as typeof view.provider })} aria-label="Provider" data-testid="filter-provider">
        <option value="all">All providers</option>
        <option value="jira">Jira Cloud</option>
        <option value="github">GitHub</option>
      </select>
      <select className="select" value={view.state} onChange={(e) => setView({ state: e.target.value as typeof view.state })} aria-label="State" data-testid="filter-state">
        <option value="all">Active and inactive</option>
        <option value="active">Active only</option>
        <option value="inactive">Inactive only</option>
      </select>
    </div>
  );
}

const formatDate = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

/** An action left out (the role cannot call it) has no button. */
export function IntegrationTable({ onEdit, onToggle, onDelete, busyId }: { onEdit?: (i: Integration) => void; onToggle?: (i: Integration) => void; onDelete?: (i: Integration) => void; busyId: number | null }) {
  const all = useAppStore((s) => s.integrations);
  const view = useAppStore((s) => s.integrationView);
  const setView = useAppStore((s) => s.setIntegrationView);
  const rows = visibleIntegrations(all, view);

  return (
    <table className="data-table" data-testid="integrations-table">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} aria-sort={c.id && view.sort === c.id ? (view.descending ? 'descending' : 'ascending') : undefined}>
              {c.id ? (
                <button type="button" className="sort-button" onClick={() => setView(nextSort(view, c.id!))} data-testid={`sort-${c.id}`}>
                  {c.label}
                  {view.sort === c.id ? (view.descending ? ' ▼' : ' ▲') : ''}
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={7} className="muted" data-testid="integrations-empty">
              {all.length === 0 ? 'No integrations yet: create one for Jira Cloud or GitHub with the buttons above.' : 'No integration matches the filters.'}
            </td>
          </tr>
        ) : null}
        {rows.map((i) => (
          <tr key={i.id} className={i.active ? '' : 'inactive'} data-testid={`integration-row-${i.id}`} data-name={i.name} data-active={String(i.active)}>
            <td className="strong">
              {i.name}
              {i.isDemo ? <span className="muted small"> · demo</span> : null}
            </td>
            <td>{providerLabels[i.provider]}</td>
            <td className="mono truncate" title={i.baseUrl}>
              {i.baseUrl}
            </td>
            <td className="mono" data-testid="token-hint">
              {i.hasSecret ? `set ${i.secretHint ?? ''}` : <span className="muted">not set</span>}
            </td>
            <td>
              <span className={`pill ${i.active ? 'pill-up' : 'pill-inactive'}`} data-testid="integration-state">
                <span aria-hidden="true">{i.active ? '●' : '○'}</span> {i.active ? 'Active' : 'Inactive'}
              </span>
              {i.activeRuns > 0 ? <span className="muted small"> · {i.activeRuns} running</span> : null}
            </td>
            <td className="muted small" title={i.updatedAt}>
              {formatDate(i.updatedAt)}
            </td>
            <td className="actions">
              {onEdit ? (
                <button type="button" className="button small" onClick={() => onEdit(i)} data-testid="edit-integration">
                  Edit
                </button>
              ) : null}
              {onToggle ? (
                <button type="button" className="button small" onClick={() => onToggle(i)} disabled={busyId === i.id} data-testid="toggle-integration">
                  {i.active ? 'Deactivate' : 'Activate'}
                </button>
              ) : null}
              {onDelete ? (
                <button type="button" className="button small danger" onClick={() => onDelete(i)} disabled={busyId === i.id} data-testid="delete-integration">
                  Delete
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
