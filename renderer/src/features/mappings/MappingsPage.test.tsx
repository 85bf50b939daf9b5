import { describe, expect, it } from 'vitest';

import { createClient } from '../../api/client';
import { createAppStore, type AppStore } from '../../store';
import { memoryStorage } from '../../testing/fake-transport';
import { integration, session, tenant } from '../../testing/fixtures';
import { renderStatic } from '../../testing/render-static';

import { DeleteMappingDialog } from './DeleteMappingDialog';
import { fieldsState, snapshot } from './fixtures';
import { LevelForm } from './LevelForm';
import { MappingsPage } from './MappingsPage';
import { StatusMappingForm } from './StatusMappingForm';
import { StepForm } from './StepForm';
import { typePrefill, statusPrefill } from './UnmappedTab';
import { WitMappingForm } from './WitMappingForm';

function render(element: React.ReactNode, setup: (store: AppStore) => void = () => undefined): string {
  const client = createClient();
  const store = createAppStore({ client, storage: memoryStorage() });
  store.setState({
    tenants: [tenant(1, 'Acme')],
    tenantsStatus: 'ready',
    selectedTenantId: 1,
    integrations: [integration(7, 'Acme Jira'), integration(8, 'Old Jira', { active: false }), integration(9, 'GH', { provider: 'github' })],
    integrationsStatus: 'ready',
    integrationsTenantId: 1,
    mappingsIntegrationId: 7,
    mappings: { data: snapshot(7), status: 'ready', error: null },
    session: session('admin'),
  });
  setup(store);
  return renderStatic(store, client, element);
}

describe('MappingsPage', () => {
  it('offers only Jira integrations, and the six tabs with their row counts', () => {
    const html = render(<MappingsPage />);
    expect(html).toContain('<option value="7" selected="">Acme Jira</option>');
    expect(html).toContain('<option value="8">Old Jira (inactive)</option>');
    expect(html).not.toContain('>GH<');
    for (const [tab, n] of [['hierarchies', 3], ['wits', 4], ['statuses', 3], ['workflow', 4]] as const) expect(html).toMatch(new RegExp(`data-testid="tab-${tab}">[^<]+<span class="tab-count">${n}</span>`));
    expect(html).toContain('data-testid="tab-fields"');
    expect(html).toContain('data-testid="tab-unmapped"');
  });

  it('lists levels with their usage, state in words, and reassignment-aware actions', () => {
    const html = render(<MappingsPage />);
    expect(html).toMatch(/data-testid="level-row-2" data-name="Story" data-active="true" data-mappings="2" data-work-items="12"/);
    expect(html).toMatch(/class="inactive" data-testid="level-row-3" data-name="Sub-task" data-active="false"/);
    expect(html).toContain('<span aria-hidden="true">○</span> Inactive');
    expect(html).toContain('data-testid="activate-row"');
    expect(html).not.toContain('data-testid="seed-panel"');
  });

  it('flags type mappings whose level is inactive, and marks the commitment point', () => {
    const wits = render(<MappingsPage />, (s) => s.getState().setMappingsTab('wits'));
    expect(wits).toContain('level inactive: runs ignore this mapping');
    const workflow = render(<MappingsPage />, (s) => s.getState().setMappingsTab('workflow'));
    expect(workflow).toContain('Work counts as committed from step 1 &quot;To Do&quot; on.');
    expect(workflow.match(/data-testid="commitment-point"/g)).toHaveLength(1);
    // Numbered steps may become the point; Discarded (no number) may not.
    expect(workflow.match(/data-testid="make-commitment-point"/g)).toHaveLength(2);
    expect(workflow).toContain('not in the flow');
    const statuses = render(<MappingsPage />, (s) => s.getState().setMappingsTab('statuses'));
    expect(statuses).toMatch(/Waiting<span class="muted small"> \(override\)<\/span>/);
  });

  it('offers the defaults for an integration without mappings, and says when there is no Jira integration', () => {
    const empty = render(<MappingsPage />, (s) => s.setState({ mappings: { data: { ...snapshot(7), hierarchies: [], witMappings: [], workflow: [], statusMappings: [] }, status: 'ready', error: null } }));
    expect(empty).toContain('data-testid="seed-defaults"');
    expect(empty).toContain('No hierarchy levels yet');
    const none = render(<MappingsPage />, (s) => s.setState({ integrations: [integration(9, 'GH', { provider: 'github' })] }));
    expect(none).toContain('data-testid="no-jira"');
    const noTenant = render(<MappingsPage />, (s) => s.setState({ selectedTenantId: null }));
    expect(noTenant).toContain('data-testid="no-tenant"');
  });

  it('lists unmapped values with counts and one click to map, or the re-transform they wait for', () => {
    const html = render(<MappingsPage />, (s) =>
      s.setState({
        mappingsTab: 'unmapped',
        unmapped: {
          data: {
            integrationId: 7,
            workItems: 40,
            types: [
              { name: 'Runbook', workItems: 3, jiraHierarchyLevel: 0, mappedNow: false },
              { name: 'Spike', workItems: 1, jiraHierarchyLevel: 0, mappedNow: true },
            ],
            statuses: [{ name: 'Parked', current: 2, inHistory: 5, jiraCategoryKey: 'indeterminate', mappedNow: false }],
          },
          status: 'ready',
          error: null,
        },
      }),
    );
    expect(html).toContain('Found in the 40 loaded work items and the loaded Jira types and statuses: 2 unmapped types, 1 unmapped status.');
    expect(html).toMatch(/data-testid="unmapped-type-Runbook" data-mapped-now="false" data-work-items="3"/);
    expect(html).toContain('mapped since the load: re-transform to apply');
    expect(html).toMatch(/data-testid="unmapped-status-Parked" data-mapped-now="false" data-current="2" data-history="5"/);
  });

  it('prefills the mapping a click on an unmapped value opens: the closest active level or step', () => {
    const s = snapshot(7);
    expect(typePrefill(s, { name: 'Saga', workItems: 1, jiraHierarchyLevel: 1, mappedNow: false })).toEqual({ kind: 'wit', row: null, prefill: { witFrom: 'Saga', witTo: 'Saga', hierarchyId: 1 } });
    // Level -1 is inactive here: the standard level instead.
    expect(typePrefill(s, { name: 'Subtask', workItems: 1, jiraHierarchyLevel: -1, mappedNow: false })).toMatchObject({ prefill: { hierarchyId: 2 } });
    expect(statusPrefill(s, { name: 'Reviewing', current: 1, inHistory: 1, jiraCategoryKey: 'indeterminate', mappedNow: false })).toMatchObject({ prefill: { statusFrom: 'Reviewing', workflowId: 11 } });
    expect(statusPrefill(s, { name: 'done', current: 1, inHistory: 1, jiraCategoryKey: null, mappedNow: false })).toMatchObject({ prefill: { workflowId: 12 } });
  });

  it('shows the custom-field pickers with suggestions and what each value resolves to', () => {
    const html = render(<MappingsPage />, (s) => s.setState({ mappingsTab: 'fields', customFields: { data: fieldsState(7), status: 'ready', error: null } }));
    expect(html).toContain('4 fields discovered, last read');
    expect(html).toContain('data-testid="resolved-sprints">→ Sprint (customfield_10020)');
    expect(html).toContain('Empty: runs recognise Story point estimate (customfield_10016) by its type.');
    expect(html).toContain('data-testid="use-suggestion-storyPoints"');
    expect(html).toContain('data-testid="resolved-slots-0">→ Customer (customfield_10033)');
    expect(html.match(/list="jira-field-options"/g)).toHaveLength(24);
    expect(html).toContain('<option value="customfield_10033" label="Customer · string"></option>');
  });
});

describe('mapping forms and dialogs', () => {
  const s = snapshot(7);
  it('each form has its fields, with the options of this integration', () => {
    const level = render(<LevelForm integrationId={7} row={null} onDone={() => undefined} onCancel={() => undefined} />);
    for (const f of ['levelNumber', 'levelName', 'description']) expect(level).toContain(`data-testid="field-${f}"`);
    const wit = render(<WitMappingForm snapshot={s} row={null} onDone={() => undefined} onCancel={() => undefined} />);
    // Only active levels are offered for a new mapping.
    expect(wit).toContain('1 · Epic');
    expect(wit).not.toContain('-1 · Sub-task');
    const step = render(<StepForm integrationId={7} row={null} firstStep={false} onDone={() => undefined} onCancel={() => undefined} />);
    expect(step).toContain('Waiting: queued between active steps');
    expect(step).toContain('data-testid="field-isCommitmentPoint"');
    const edit = render(<StepForm integrationId={7} row={s.workflow[0]!} firstStep={false} onDone={() => undefined} onCancel={() => undefined} />);
    expect(edit).not.toContain('data-testid="field-isCommitmentPoint"');
    const status = render(<StatusMappingForm snapshot={s} row={null} prefill={{ statusFrom: 'Parked', workflowId: 11 }} onDone={() => undefined} onCancel={() => undefined} />);
    // The prefilled step (In Progress) decides what "the step's category" is.
    expect(status).toContain('The step&#x27;s (In Progress)');
  });

  it('says before a delete whether the mapping is removed or kept inactive', () => {
    const soft = render(<DeleteMappingDialog integrationId={7} target={{ kind: 'status', id: 30, name: 'Open', workItems: 5 }} onDone={() => undefined} onCancel={() => undefined} />);
    expect(soft).toContain('5 loaded work items are or were in this status, so the mapping is kept and deactivated');
    expect(soft).toContain('>Deactivate</button>');
    const hard = render(<DeleteMappingDialog integrationId={7} target={{ kind: 'wit', id: 22, name: 'Bug', workItems: 0 }} onDone={() => undefined} onCancel={() => undefined} />);
    expect(hard).toContain('No loaded work item is of this type: the mapping is removed.');
  });
});

describe('MappingsPage by role', () => {
  const tabs = ['hierarchies', 'wits', 'statuses', 'workflow', 'fields'] as const;
  const editControls = ['new-level', 'new-wit', 'new-status', 'new-step', 'edit-row', 'activate-row', 'deactivate-row', 'delete-row', 'make-commitment-point', 'discover-fields', 'save-fields', 'reset-fields'];
  const renderTab = (role: 'viewer' | 'operator' | 'admin', tab: (typeof tabs)[number]) =>
    render(<MappingsPage />, (s) => {
      s.setState({ session: session(role), customFields: { data: fieldsState(7), status: 'ready', error: null } });
      s.getState().setMappingsTab(tab);
    });

  it('shows an admin the edit controls of every table', () => {
    const html = tabs.map((t) => renderTab('admin', t)).join('');
    for (const id of editControls) expect(html, id).toContain(`data-testid="${id}"`);
    expect(html).not.toContain('data-testid="role-notice"');
  });

  it.each(['viewer', 'operator'] as const)('shows %s every table read-only, with one role line per tab', (role) => {
    for (const tab of tabs) {
      const html = renderTab(role, tab);
      for (const id of editControls) expect(html, `${tab}: ${id}`).not.toContain(`data-testid="${id}"`);
      expect(html.match(/data-testid="role-notice"/g), tab).toHaveLength(1);
    }
    // An operator keeps the re-transform, so only part of the hub is hidden.
    expect(renderTab(role, 'hierarchies')).toContain(role === 'viewer' ? 'You are signed in as a viewer: changes are hidden.' : 'You are signed in as an operator: changes that need an admin are hidden.');
    // The levels are still listed, and the field mapping still shows (its pickers disabled).
    expect(renderTab(role, 'hierarchies')).toContain('data-name="Story"');
    expect(renderTab(role, 'fields')).toMatch(/<fieldset class="form-grid plain-fieldset" disabled="">/);
  });

  it('offers the defaults to an admin only', () => {
    const empty = { data: { ...snapshot(7), hierarchies: [], witMappings: [], workflow: [], statusMappings: [] }, status: 'ready' as const, error: null };
    expect(render(<MappingsPage />, (s) => s.setState({ mappings: empty }))).toContain('data-testid="seed-defaults"');
    const viewer = render(<MappingsPage />, (s) => s.setState({ mappings: empty, session: session('viewer') }));
    expect(viewer).toContain('data-testid="seed-panel"');
    expect(viewer).not.toContain('data-testid="seed-defaults"');
  });
});
