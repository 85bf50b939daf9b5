import type { MappingsSnapshot, WitMapping } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';

import { count, DataTable, StatePill, type ColumnDef } from './DataTable';
import type { TabProps } from './hub-actions';
import { visibleRows, witSpec } from './table-model';
import { rowActions } from './RowActions';
import { TableToolbar } from './TableToolbar';

/** Jira type → unified type and level. A mapping whose level is inactive is ignored by runs, and says so. */
export function WitMappingsTab({ snapshot, open, run, busyId }: TabProps & { snapshot: MappingsSnapshot }) {
  const view = useAppStore((s) => s.mappingViews.wits);
  const change = useAppStore((s) => s.changeMappings);
  const can = { create: useCan('mappings.witMappings.create'), update: useCan('mappings.witMappings.update'), setActive: useCan('mappings.witMappings.setActive'), remove: useCan('mappings.witMappings.delete') };
  const rows = visibleRows(snapshot.witMappings, view, witSpec);
  const columns: ColumnDef<WitMapping>[] = [
    { label: 'Jira type', sort: 'witFrom', className: 'strong', render: (m) => m.witFrom },
    { label: 'Unified type', sort: 'witTo', render: (m) => m.witTo },
    {
      label: 'Level',
      sort: 'level',
      render: (m) => (
        <>
          {m.levelNumber} · {m.levelName}
          {m.levelActive ? null : <span className="warn small"> · level inactive: runs ignore this mapping</span>}
        </>
      ),
    },
    { label: 'Work items', sort: 'workItems', className: 'num', render: (m) => count(m.workItems) },
    { label: 'State', sort: 'active', render: (m) => <StatePill active={m.active} /> },
  ];
  return (
    <>
      <TableToolbar table="wits" placeholder="Filter by Jira or unified type" filterLabel="Level" filterOptions={snapshot.hierarchies.map((h) => ({ value: String(h.id), label: `${h.levelNumber} · ${h.levelName}` }))}>
        {can.create ? (
          <button type="button" className="button primary" onClick={() => open({ kind: 'wit', row: null })} data-testid="new-wit">
            New type mapping
          </button>
        ) : null}
      </TableToolbar>
      <DataTable
        table="wits"
        columns={columns}
        rows={rows}
        total={snapshot.witMappings.length}
        rowKey={(m) => m.id}
        rowTestId={(m) => `wit-row-${m.id}`}
        rowData={(m) => ({ 'data-name': m.witFrom, 'data-active': String(m.active), 'data-work-items': String(m.workItems) })}
        inactive={(m) => !m.active || !m.levelActive}
        empty="No type mappings yet: every Jira type is loaded unmapped (and listed on the Unmapped tab)."
        actions={rowActions<WitMapping>(can, {
          active: (m) => m.active,
          busy: (m) => busyId === m.id,
          onEdit: (m) => open({ kind: 'wit', row: m }),
          onToggle: (m) => run(m.id, () => change('mappings.witMappings.setActive', { integrationId: snapshot.integrationId, id: m.id, active: !m.active })),
          onDelete: (m) => open({ kind: 'deleteMapping', target: { kind: 'wit', id: m.id, name: m.witFrom, workItems: m.workItems } }),
        })}
      />
    </>
  );
}
