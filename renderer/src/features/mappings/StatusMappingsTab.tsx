import { STEP_CATEGORIES, type MappingsSnapshot, type StatusMapping } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';

import { count, DataTable, StatePill, type ColumnDef } from './DataTable';
import type { TabProps } from './hub-actions';
import { statusSpec, visibleRows } from './table-model';
import { rowActions } from './RowActions';
import { TableToolbar } from './TableToolbar';

/** Jira status → workflow step (and category). Filters by step or by category. */
export function StatusMappingsTab({ snapshot, open, run, busyId }: TabProps & { snapshot: MappingsSnapshot }) {
  const view = useAppStore((s) => s.mappingViews.statuses);
  const change = useAppStore((s) => s.changeMappings);
  const can = { create: useCan('mappings.statusMappings.create'), update: useCan('mappings.statusMappings.update'), setActive: useCan('mappings.statusMappings.setActive'), remove: useCan('mappings.statusMappings.delete') };
  const rows = visibleRows(snapshot.statusMappings, view, statusSpec);
  const stepCategory = new Map(snapshot.workflow.map((w) => [w.id, w.stepCategory]));
  const columns: ColumnDef<StatusMapping>[] = [
    { label: 'Jira status', sort: 'statusFrom', className: 'strong', render: (m) => m.statusFrom },
    {
      label: 'Workflow step',
      sort: 'step',
      render: (m) => (
        <>
          {m.stepNumber ?? '–'} · {m.stepName}
          {m.stepActive ? null : <span className="warn small"> · step inactive: runs ignore this mapping</span>}
        </>
      ),
    },
    {
      label: 'Category',
      sort: 'category',
      render: (m) => (
        <>
          {m.statusCategory}
          {stepCategory.get(m.workflowId) !== m.statusCategory ? <span className="muted small"> (override)</span> : null}
        </>
      ),
    },
    { label: 'Work items', sort: 'workItems', className: 'num', render: (m) => count(m.workItems) },
    { label: 'State', sort: 'active', render: (m) => <StatePill active={m.active} /> },
  ];
  const filterOptions = [
    ...snapshot.workflow.map((w) => ({ value: `step:${w.id}`, label: `Step ${w.stepNumber ?? '–'} · ${w.stepName}` })),
    ...STEP_CATEGORIES.map((c) => ({ value: `category:${c}`, label: `Category ${c}` })),
  ];
  return (
    <>
      <TableToolbar table="statuses" placeholder="Filter by status, step or category" filterLabel="Step or category" filterOptions={filterOptions}>
        {can.create ? (
          <button type="button" className="button primary" onClick={() => open({ kind: 'status', row: null })} data-testid="new-status">
            New status mapping
          </button>
        ) : null}
      </TableToolbar>
      <DataTable
        table="statuses"
        columns={columns}
        rows={rows}
        total={snapshot.statusMappings.length}
        rowKey={(m) => m.id}
        rowTestId={(m) => `status-row-${m.id}`}
        rowData={(m) => ({ 'data-name': m.statusFrom, 'data-active': String(m.active), 'data-work-items': String(m.workItems) })}
        inactive={(m) => !m.active || !m.stepActive}
        empty="No status mappings yet: statuses fall back to Jira's category and are flagged unmapped."
        actions={rowActions<StatusMapping>(can, {
          active: (m) => m.active,
          busy: (m) => busyId === m.id,
          onEdit: (m) => open({ kind: 'status', row: m }),
          onToggle: (m) => run(m.id, () => change('mappings.statusMappings.setActive', { integrationId: snapshot.integrationId, id: m.id, active: !m.active })),
          onDelete: (m) => open({ kind: 'deleteMapping', target: { kind: 'status', id: m.id, name: m.statusFrom, workItems: m.workItems } }),
        })}
      />
    </>
  );
}
