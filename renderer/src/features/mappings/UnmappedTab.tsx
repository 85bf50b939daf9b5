import { useEffect } from 'react';

import type { MappingsSnapshot, StepCategory } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';

import { count, DataTable, type ColumnDef } from './DataTable';
import type { HubAction } from './hub-actions';
import { unmappedStatusSpec, unmappedTypeSpec, visibleRows, type UnmappedStatus, type UnmappedType } from './table-model';
import { TableToolbar } from './TableToolbar';

const MAPPED_FILTER = [
  { value: 'open', label: 'Not mapped yet' },
  { value: 'mapped', label: 'Mapped since the load' },
];

/** Jira's status category onto the workflow category a prefilled step should have. */
const categoryOfJira = (key: string | null): StepCategory => (key === 'done' ? 'Done' : key === 'indeterminate' ? 'In Progress' : 'To Do');

/** The form a "Map…" click opens, prefilled with the value and the closest level or step. */
export const typePrefill = (snapshot: MappingsSnapshot, t: UnmappedType): HubAction => {
  const levels = snapshot.hierarchies.filter((h) => h.active);
  const level = levels.find((h) => h.levelNumber === t.jiraHierarchyLevel) ?? levels.find((h) => h.levelNumber === 0) ?? levels[0];
  return { kind: 'wit', row: null, prefill: { witFrom: t.name, witTo: t.name, hierarchyId: level?.id ?? null } };
};

export const statusPrefill = (snapshot: MappingsSnapshot, s: UnmappedStatus): HubAction => {
  const steps = snapshot.workflow.filter((w) => w.active);
  const wanted = categoryOfJira(s.jiraCategoryKey);
  const step = steps.find((w) => w.stepName.toLowerCase() === s.name.toLowerCase()) ?? steps.find((w) => w.stepCategory === wanted) ?? steps[0];
  return { kind: 'status', row: null, prefill: { statusFrom: s.name, workflowId: step?.id ?? null } };
};

/**
 * "Unmapped values seen in the data": types and statuses the last load flagged as unmapped, with how
 * many work items have them; one click opens the mapping form prefilled. Values mapped since the load
 * say that a re-transform applies the new mapping.
 */
export function UnmappedTab({ snapshot, open }: { snapshot: MappingsSnapshot; open: (action: HubAction, tab: 'wits' | 'statuses') => void }) {
  const state = useAppStore((s) => s.unmapped);
  const load = useAppStore((s) => s.loadUnmapped);
  const typesView = useAppStore((s) => s.mappingViews.unmappedTypes);
  const statusView = useAppStore((s) => s.mappingViews.unmappedStatuses);
  const integrationId = useAppStore((s) => s.mappingsIntegrationId);
  // “Map…” opens the new type / status mapping form: only for a role that may create them.
  const canMapType = useCan('mappings.witMappings.create');
  const canMapStatus = useCan('mappings.statusMappings.create');
  const stale = state.status === 'idle';
  useEffect(() => {
    if (stale) void load();
  }, [load, integrationId, stale]);
  const data = state.data;
  if (!data) {
    return state.status === 'error' ? (
      <Notice tone="error" testId="unmapped-load-error">
        <MessageText text={state.error ?? ''} />
      </Notice>
    ) : (
      <p className="muted">Reading the loaded data…</p>
    );
  }
  const mappedNow = <span className="pill pill-up small">mapped since the load: re-transform to apply</span>;
  const typeColumns: ColumnDef<UnmappedType>[] = [
    { label: 'Jira type', sort: 'name', className: 'strong', render: (t) => t.name },
    { label: 'Work items', sort: 'workItems', className: 'num', render: (t) => count(t.workItems) },
    { label: 'Jira level', sort: 'jiraLevel', className: 'num', render: (t) => t.jiraHierarchyLevel ?? <span className="muted">—</span> },
  ];
  const statusColumns: ColumnDef<UnmappedStatus>[] = [
    { label: 'Jira status', sort: 'name', className: 'strong', render: (s) => s.name },
    { label: 'Work items now in it', sort: 'current', className: 'num', render: (s) => count(s.current) },
    { label: 'In their history', sort: 'inHistory', className: 'num', render: (s) => count(s.inHistory) },
    { label: 'Jira category', render: (s) => s.jiraCategoryKey ?? <span className="muted">—</span> },
  ];
  return (
    <div data-testid="unmapped-tab">
      <p className="muted" data-testid="unmapped-summary">
        {data.types.length === 0 && data.statuses.length === 0
          ? `Every type and status of the ${count(data.workItems)} loaded work items is mapped.`
          : `Found in the ${count(data.workItems)} loaded work items and the loaded Jira types and statuses: ${data.types.length} unmapped type${data.types.length === 1 ? '' : 's'}, ${data.statuses.length} unmapped status${data.statuses.length === 1 ? '' : 'es'}.`}
      </p>
      <div className="panel-title">Work item types</div>
      <TableToolbar table="unmappedTypes" placeholder="Filter types" filterLabel="Mapping" filterOptions={MAPPED_FILTER} withState={false} />
      <DataTable
        table="unmappedTypes"
        columns={typeColumns}
        rows={visibleRows(data.types, typesView, unmappedTypeSpec)}
        total={data.types.length}
        rowKey={(t) => t.name}
        rowTestId={(t) => `unmapped-type-${t.name}`}
        rowData={(t) => ({ 'data-mapped-now': String(t.mappedNow), 'data-work-items': String(t.workItems) })}
        empty="No unmapped type in the loaded data."
        actions={(t) =>
          t.mappedNow ? (
            mappedNow
          ) : !canMapType ? null : (
            <button type="button" className="button small primary" onClick={() => open(typePrefill(snapshot, t), 'wits')} data-testid="map-value">
              Map…
            </button>
          )
        }
      />
      <div className="panel-title" style={{ marginTop: 16 }}>
        Statuses
      </div>
      <TableToolbar table="unmappedStatuses" placeholder="Filter statuses" filterLabel="Mapping" filterOptions={MAPPED_FILTER} withState={false} />
      <DataTable
        table="unmappedStatuses"
        columns={statusColumns}
        rows={visibleRows(data.statuses, statusView, unmappedStatusSpec)}
        total={data.statuses.length}
        rowKey={(s) => s.name}
        rowTestId={(s) => `unmapped-status-${s.name}`}
        rowData={(s) => ({ 'data-mapped-now': String(s.mappedNow), 'data-current': String(s.current), 'data-history': String(s.inHistory) })}
        empty="No unmapped status in the loaded data."
        actions={(s) =>
          s.mappedNow ? (
            mappedNow
          ) : !canMapStatus ? null : (
            <button type="button" className="button small primary" onClick={() => open(statusPrefill(snapshot, s), 'statuses')} data-testid="map-value">
              Map…
            </button>
          )
        }
      />
    </div>
  );
}
