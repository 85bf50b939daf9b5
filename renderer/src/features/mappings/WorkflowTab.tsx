import { STEP_CATEGORIES, type MappingsSnapshot, type WorkflowStep } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';

import { count, DataTable, StatePill, type ColumnDef } from './DataTable';
import type { TabProps } from './hub-actions';
import { visibleRows, workflowSpec } from './table-model';
import { TableToolbar } from './TableToolbar';

/**
 * The workflow in flow order, its categories (waiting and discarded included) and its one commitment
 * point, moved with one click (both steps change in one transaction on the engine side).
 */
export function WorkflowTab({ snapshot, open, run, busyId }: TabProps & { snapshot: MappingsSnapshot }) {
  const view = useAppStore((s) => s.mappingViews.workflow);
  const change = useAppStore((s) => s.changeMappings);
  const can = { create: useCan('mappings.workflow.create'), update: useCan('mappings.workflow.update'), setActive: useCan('mappings.workflow.setActive'), remove: useCan('mappings.workflow.delete'), point: useCan('mappings.workflow.setCommitmentPoint') };
  const rows = visibleRows(snapshot.workflow, view, workflowSpec);
  const point = snapshot.workflow.find((w) => w.isCommitmentPoint);
  const canBePoint = (w: WorkflowStep) => w.stepNumber !== null && w.stepCategory !== 'Discarded';
  const columns: ColumnDef<WorkflowStep>[] = [
    { label: '#', sort: 'stepNumber', className: 'num', render: (w) => w.stepNumber ?? <span className="muted">–</span> },
    { label: 'Step', sort: 'stepName', className: 'strong', render: (w) => w.stepName },
    { label: 'Category', sort: 'category', render: (w) => <span className={`category category-${w.stepCategory.replace(/\s+/g, '-').toLowerCase()}`}>{w.stepCategory}</span> },
    {
      label: 'Commitment point',
      render: (w) =>
        w.isCommitmentPoint ? (
          <span className="pill pill-up" data-testid="commitment-point">
            <span aria-hidden="true">◆</span> Commitment point
          </span>
        ) : canBePoint(w) && can.point ? (
          <button type="button" className="button small ghost" onClick={() => run(w.id, () => change('mappings.workflow.setCommitmentPoint', { integrationId: snapshot.integrationId, id: w.id }))} disabled={busyId === w.id} data-testid="make-commitment-point">
            Make commitment point
          </button>
        ) : (
          <span className="muted small">{w.stepNumber === null ? 'not in the flow' : canBePoint(w) ? '—' : 'discarded'}</span>
        ),
    },
    { label: 'Status mappings', sort: 'statusMappings', className: 'num', render: (w) => count(w.statusMappings) },
    { label: 'Work items', sort: 'workItems', className: 'num', render: (w) => count(w.workItems) },
    { label: 'State', sort: 'active', render: (w) => <StatePill active={w.active} /> },
  ];
  return (
    <>
      <TableToolbar table="workflow" placeholder="Filter by step, number or category" filterLabel="Category" filterOptions={[...STEP_CATEGORIES.map((c) => ({ value: c, label: c })), { value: 'commitment', label: 'Commitment point' }]}>
        {can.create ? (
          <button type="button" className="button primary" onClick={() => open({ kind: 'step', row: null })} data-testid="new-step">
            New step
          </button>
        ) : null}
      </TableToolbar>
      <p className="muted small" data-testid="commitment-summary">
        {point ? `Work counts as committed from step ${point.stepNumber ?? ''} "${point.stepName}" on.` : 'No commitment point yet: the first step you add becomes it.'}
      </p>
      <DataTable
        table="workflow"
        columns={columns}
        rows={rows}
        total={snapshot.workflow.length}
        rowKey={(w) => w.id}
        rowTestId={(w) => `step-row-${w.id}`}
        rowData={(w) => ({ 'data-name': w.stepName, 'data-active': String(w.active), 'data-commitment': String(w.isCommitmentPoint) })}
        inactive={(w) => !w.active}
        empty="No workflow steps yet: add the steps work moves through, or add the defaults above."
        actions={!(can.update || can.setActive || can.remove) ? undefined : (w) => (
          <>
            {can.update ? (
              <button type="button" className="button small" onClick={() => open({ kind: 'step', row: w })} data-testid="edit-row">
                Edit
              </button>
            ) : null}
            {!can.setActive ? null : w.active ? (
              <button type="button" className="button small" onClick={() => open({ kind: 'reassign', target: { kind: 'step', verb: 'deactivate', id: w.id, name: w.stepName } })} disabled={busyId === w.id} data-testid="deactivate-row">
                Deactivate
              </button>
            ) : (
              <button type="button" className="button small" onClick={() => run(w.id, () => change('mappings.workflow.setActive', { integrationId: snapshot.integrationId, id: w.id, active: true }))} disabled={busyId === w.id} data-testid="activate-row">
                Activate
              </button>
            )}
            {can.remove ? (
              <button type="button" className="button small danger" onClick={() => open({ kind: 'reassign', target: { kind: 'step', verb: 'delete', id: w.id, name: w.stepName } })} disabled={busyId === w.id} data-testid="delete-row">
                Delete
              </button>
            ) : null}
          </>
        )}
      />
    </>
  );
}
