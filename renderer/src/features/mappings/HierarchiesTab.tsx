import type { Hierarchy, MappingsSnapshot } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';

import { count, DataTable, StatePill, type ColumnDef } from './DataTable';
import type { TabProps } from './hub-actions';
import { hierarchySpec, visibleRows } from './table-model';
import { TableToolbar } from './TableToolbar';

/** Hierarchy levels, top level first; deactivating or deleting one that mappings use goes through the reassignment dialog. */
export function HierarchiesTab({ snapshot, open, run, busyId }: TabProps & { snapshot: MappingsSnapshot }) {
  const view = useAppStore((s) => s.mappingViews.hierarchies);
  const change = useAppStore((s) => s.changeMappings);
  const can = { create: useCan('mappings.hierarchies.create'), update: useCan('mappings.hierarchies.update'), setActive: useCan('mappings.hierarchies.setActive'), remove: useCan('mappings.hierarchies.delete') };
  const rows = visibleRows(snapshot.hierarchies, view, hierarchySpec);
  const columns: ColumnDef<Hierarchy>[] = [
    { label: 'Level', sort: 'levelNumber', className: 'num', render: (h) => h.levelNumber },
    { label: 'Name', sort: 'levelName', className: 'strong', render: (h) => h.levelName },
    { label: 'Description', render: (h) => h.description ?? <span className="muted">—</span> },
    { label: 'Type mappings', sort: 'mappings', className: 'num', render: (h) => count(h.mappings) },
    { label: 'Work items', sort: 'workItems', className: 'num', render: (h) => count(h.workItems) },
    { label: 'State', sort: 'active', render: (h) => <StatePill active={h.active} /> },
  ];
  return (
    <>
      <TableToolbar table="hierarchies" placeholder="Filter by level, name or description">
        {can.create ? (
          <button type="button" className="button primary" onClick={() => open({ kind: 'level', row: null })} data-testid="new-level">
            New level
          </button>
        ) : null}
      </TableToolbar>
      <DataTable
        table="hierarchies"
        columns={columns}
        rows={rows}
        total={snapshot.hierarchies.length}
        rowKey={(h) => h.id}
        rowTestId={(h) => `level-row-${h.id}`}
        rowData={(h) => ({ 'data-name': h.levelName, 'data-active': String(h.active), 'data-mappings': String(h.mappings), 'data-work-items': String(h.workItems) })}
        inactive={(h) => !h.active}
        empty="No hierarchy levels yet: add one, or add the defaults above."
        actions={!(can.update || can.setActive || can.remove) ? undefined : (h) => (
          <>
            {can.update ? (
              <button type="button" className="button small" onClick={() => open({ kind: 'level', row: h })} data-testid="edit-row">
                Edit
              </button>
            ) : null}
            {!can.setActive ? null : h.active ? (
              <button type="button" className="button small" onClick={() => open({ kind: 'reassign', target: { kind: 'level', verb: 'deactivate', id: h.id, name: h.levelName } })} disabled={busyId === h.id} data-testid="deactivate-row">
                Deactivate
              </button>
            ) : (
              <button type="button" className="button small" onClick={() => run(h.id, () => change('mappings.hierarchies.setActive', { integrationId: snapshot.integrationId, id: h.id, active: true }))} disabled={busyId === h.id} data-testid="activate-row">
                Activate
              </button>
            )}
            {can.remove ? (
              <button type="button" className="button small danger" onClick={() => open({ kind: 'reassign', target: { kind: 'level', verb: 'delete', id: h.id, name: h.levelName } })} disabled={busyId === h.id} data-testid="delete-row">
                Delete
              </button>
            ) : null}
          </>
        )}
      />
    </>
  );
}
