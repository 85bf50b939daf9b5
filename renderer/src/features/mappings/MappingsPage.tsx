import { useEffect, useState } from 'react';

import type { MappingsChange, MappingsSnapshot } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { RoleNotice } from '../../components/RoleNotice';
import { describeError } from '../../store/describe-error';
import type { MappingsTab } from '../../store/mappings-slice';
import '../../styles/mappings.css';

import { CustomFieldsTab } from './CustomFieldsTab';
import { DeleteMappingDialog } from './DeleteMappingDialog';
import { HierarchiesTab } from './HierarchiesTab';
import type { HubAction } from './hub-actions';
import { LevelForm } from './LevelForm';
import { ReassignDialog } from './ReassignDialog';
import { StatusMappingForm } from './StatusMappingForm';
import { StatusMappingsTab } from './StatusMappingsTab';
import { StepForm } from './StepForm';
import { UnmappedTab } from './UnmappedTab';
import { WitMappingForm } from './WitMappingForm';
import { WitMappingsTab } from './WitMappingsTab';
import { WorkflowTab } from './WorkflowTab';

const TABS: { id: MappingsTab; label: string; count?: (s: MappingsSnapshot) => number }[] = [
  { id: 'hierarchies', label: 'Hierarchies', count: (s) => s.hierarchies.length },
  { id: 'wits', label: 'WIT mappings', count: (s) => s.witMappings.length },
  { id: 'statuses', label: 'Status mappings', count: (s) => s.statusMappings.length },
  { id: 'workflow', label: 'Workflow', count: (s) => s.workflow.length },
  { id: 'fields', label: 'Custom fields' },
  { id: 'unmapped', label: 'Unmapped' },
];

/** The calls the hub's controls make, for the role line (every table's edits, seeding, discovery, re-transform). */
const HUB_CALLS = [
  'mappings.seedDefaults',
  'mappings.hierarchies.create',
  'mappings.hierarchies.update',
  'mappings.witMappings.create',
  'mappings.statusMappings.create',
  'mappings.workflow.create',
  'mappings.customFields.save',
  'mappings.customFields.discover',
  'mappings.retransform',
] as const;

type HubNotice = { tone: 'info' | 'error'; text: string; retransform: boolean };

/** The selected tenant's Mappings hub. Switching tenant remounts it (see the key). */
export function MappingsPage() {
  const tenantId = useAppStore((s) => s.selectedTenantId);
  return <MappingsScreen key={tenantId ?? 'none'} tenantId={tenantId} />;
}

function MappingsScreen({ tenantId }: { tenantId: number | null }) {
  const integrations = useAppStore((s) => s.integrations);
  const integrationsStatus = useAppStore((s) => s.integrationsStatus);
  const integrationsError = useAppStore((s) => s.integrationsError);
  const loadIntegrations = useAppStore((s) => s.loadIntegrations);
  const selected = useAppStore((s) => s.mappingsIntegrationId);
  const select = useAppStore((s) => s.selectMappingsIntegration);
  const jira = integrations.filter((i) => i.provider === 'jira');

  useEffect(() => {
    void loadIntegrations();
  }, [loadIntegrations]);
  // Keep the chosen integration while it exists; otherwise the first active Jira integration.
  useEffect(() => {
    if (integrationsStatus !== 'ready') return;
    if (selected !== null && jira.some((i) => i.id === selected)) return;
    select((jira.find((i) => i.active) ?? jira[0])?.id ?? null);
  }, [integrationsStatus, jira, selected, select]);

  const picker =
    jira.length > 0 ? (
      <label className="inline-row integration-picker">
        <span className="muted">Jira integration</span>
        <select className="select" value={selected ?? ''} onChange={(e) => select(Number(e.target.value))} data-testid="mappings-integration">
          {jira.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
              {i.active ? '' : ' (inactive)'}
            </option>
          ))}
        </select>
      </label>
    ) : null;

  return (
    <section className="page" data-testid="mappings-page">
      <PageHeader title="Mappings" subtitle="How a Jira integration's types, statuses, workflow and custom fields become the unified model." actions={picker} />
      {tenantId === null ? (
        <Notice tone="info" testId="no-tenant">
          Mappings belong to a tenant&apos;s Jira integration: pick a tenant in the header.
        </Notice>
      ) : integrationsStatus === 'error' ? (
        <Notice tone="error" testId="mappings-integrations-error">
          <MessageText text={`Could not list the integrations: ${integrationsError ?? 'unknown error'}`} />
        </Notice>
      ) : integrationsStatus === 'ready' && jira.length === 0 ? (
        <Notice tone="info" testId="no-jira">
          This tenant has no Jira integration yet: create one on the Integrations screen, then map its types, statuses and fields here.
        </Notice>
      ) : selected === null ? (
        <p className="muted">Loading the integrations…</p>
      ) : (
        <Hub key={selected} integrationId={selected} />
      )}
    </section>
  );
}

function Hub({ integrationId }: { integrationId: number }) {
  const snapshot = useAppStore((s) => s.mappings);
  const load = useAppStore((s) => s.loadMappings);
  const tab = useAppStore((s) => s.mappingsTab);
  const setTab = useAppStore((s) => s.setMappingsTab);
  const change = useAppStore((s) => s.changeMappings);
  const retransform = useAppStore((s) => s.retransformMappings);
  const canSeed = useCan('mappings.seedDefaults');
  const canRetransform = useCan('mappings.retransform');
  const [action, setAction] = useState<HubAction | null>(null);
  const [notice, setNotice] = useState<HubNotice | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    void load();
  }, [load, integrationId]);

  const done = (message: string) => {
    setAction(null);
    setNotice({ tone: 'info', text: message, retransform: true });
  };
  const run = (rowId: number, mutation: () => Promise<MappingsChange>) => {
    setBusyId(rowId);
    setNotice(null);
    mutation()
      .then((r) => setNotice({ tone: 'info', text: r.message, retransform: r.message.includes('re-transform') }))
      .catch((e: unknown) => setNotice({ tone: 'error', text: describeError(e), retransform: false }))
      .finally(() => setBusyId(null));
  };
  const startRetransform = async () => {
    setStarting(true);
    try {
      const r = await retransform();
      setNotice({ tone: 'info', text: r.message, retransform: false });
    } catch (e) {
      setNotice({ tone: 'error', text: describeError(e), retransform: false });
    } finally {
      setStarting(false);
    }
  };

  const data = snapshot.data;
  if (!data) {
    return snapshot.status === 'error' ? (
      <Notice tone="error" testId="mappings-load-error">
        <MessageText text={snapshot.error ?? ''} />
      </Notice>
    ) : (
      <p className="muted">Loading the mappings…</p>
    );
  }
  const empty = data.hierarchies.length + data.witMappings.length + data.workflow.length + data.statusMappings.length === 0;
  const tabProps = { open: (a: HubAction) => setAction(a), run, busyId };

  return (
    <>
      <RoleNotice calls={HUB_CALLS} />
      {notice ? (
        <Notice tone={notice.tone} testId={notice.tone === 'error' ? 'mappings-error' : 'mappings-notice'}>
          <MessageText text={notice.text} />
          {notice.retransform && canRetransform ? (
            <>
              {' '}
              <button type="button" className="button small" onClick={() => void startRetransform()} disabled={starting} data-testid="retransform-now">
                {starting ? 'Starting…' : 'Re-transform now'}
              </button>
            </>
          ) : null}
        </Notice>
      ) : null}
      {empty ? (
        <div className="panel seed-panel" data-testid="seed-panel">
          <p>
            <strong>{data.integrationName}</strong> has no levels, type mappings, workflow or status mappings yet, so every type and status is loaded unmapped.
          </p>
          {canSeed ? (
            <>
              <button type="button" className="button primary" onClick={() => run(0, () => change('mappings.seedDefaults', { integrationId }))} disabled={busyId === 0} data-testid="seed-defaults">
                Add the default mappings
              </button>
              <span className="muted small"> Six levels, common type and status names, and a twelve-step workflow with To Do as the commitment point; edit them afterwards.</span>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="tabs" role="tablist" aria-label="Mapping tables">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`tab${tab === t.id ? ' active' : ''}`} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>
            {t.label}
            {t.count ? <span className="tab-count">{t.count(data)}</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="tab-panel" data-testid={`panel-${tab}`}>
        {tab === 'hierarchies' ? <HierarchiesTab snapshot={data} {...tabProps} /> : null}
        {tab === 'wits' ? <WitMappingsTab snapshot={data} {...tabProps} /> : null}
        {tab === 'statuses' ? <StatusMappingsTab snapshot={data} {...tabProps} /> : null}
        {tab === 'workflow' ? <WorkflowTab snapshot={data} {...tabProps} /> : null}
        {tab === 'fields' ? <CustomFieldsTab onSaved={done} /> : null}
        {tab === 'unmapped' ? (
          <UnmappedTab
            snapshot={data}
            open={(a, next) => {
              setTab(next);
              setAction(a);
            }}
          />
        ) : null}
      </div>
      <ActionDialog action={action} snapshot={data} onDone={done} onCancel={() => setAction(null)} />
    </>
  );
}

function ActionDialog({ action, snapshot, onDone, onCancel }: { action: HubAction | null; snapshot: MappingsSnapshot; onDone: (message: string) => void; onCancel: () => void }) {
  if (!action) return null;
  const common = { onDone, onCancel };
  switch (action.kind) {
    case 'level':
      return <LevelForm integrationId={snapshot.integrationId} row={action.row} {...common} />;
    case 'wit':
      return <WitMappingForm snapshot={snapshot} row={action.row} prefill={action.prefill ?? null} {...common} />;
    case 'step':
      return <StepForm integrationId={snapshot.integrationId} row={action.row} firstStep={!snapshot.workflow.some((w) => w.active)} {...common} />;
    case 'status':
      return <StatusMappingForm snapshot={snapshot} row={action.row} prefill={action.prefill ?? null} {...common} />;
    case 'reassign':
      return <ReassignDialog integrationId={snapshot.integrationId} target={action.target} {...common} />;
    case 'deleteMapping':
      return <DeleteMappingDialog integrationId={snapshot.integrationId} target={action.target} {...common} />;
  }
}
