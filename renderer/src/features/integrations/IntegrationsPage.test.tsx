import { describe, expect, it } from 'vitest';

import { createClient } from '../../api/client';
import { createAppStore, type AppStore } from '../../store';
import { memoryStorage } from '../../testing/fake-transport';
import { integration, session, tenant } from '../../testing/fixtures';
import { renderStatic } from '../../testing/render-static';

import { DeleteDialog } from './DeleteDialog';
import { IntegrationForm } from './IntegrationForm';
import { IntegrationsPage } from './IntegrationsPage';

function render(element: React.ReactNode, setup: (store: AppStore) => void = () => undefined): string {
  const client = createClient();
  const store = createAppStore({ client, storage: memoryStorage() });
  store.setState({ tenants: [tenant(1, 'Acme')], tenantsStatus: 'ready', selectedTenantId: 1, session: session('admin') });
  setup(store);
  return renderStatic(store, client, element);
}

describe('IntegrationsPage', () => {
  it('lists the integrations with provider, token hint (never a token) and state as data and words', () => {
    const html = render(<IntegrationsPage />, (s) =>
      s.setState({ integrationsStatus: 'ready', integrationsTenantId: 1, integrations: [integration(1, 'Jira A'), integration(2, 'GH', { provider: 'github', active: false, hasSecret: false, secretHint: null })] }),
    );
    expect(html).toContain('Jira Cloud and GitHub connections of Acme');
    expect(html).toMatch(/data-testid="integration-row-1" data-name="Jira A" data-active="true"/);
    expect(html).toMatch(/data-testid="integration-row-2" data-name="GH" data-active="false"/);
    expect(html).toContain('set …a1b2');
    expect(html).toContain('not set');
    expect(html).toContain('<span aria-hidden="true">●</span> Active');
    expect(html).toContain('<span aria-hidden="true">○</span> Inactive');
    expect(html).toContain('>Activate<');
  });

  it('says what to do when there is nothing, or no tenant', () => {
    expect(render(<IntegrationsPage />, (s) => s.setState({ integrationsStatus: 'ready', integrations: [] }))).toContain('No integrations yet: create one for Jira Cloud or GitHub');
    const none = render(<IntegrationsPage />, (s) => s.setState({ selectedTenantId: null }));
    expect(none).toContain('data-testid="no-tenant"');
    expect(none).not.toContain('data-testid="new-jira"');
  });

  it('applies the filters of the view state', () => {
    const html = render(<IntegrationsPage />, (s) => {
      s.setState({ integrations: [integration(1, 'Jira A'), integration(2, 'Other')] });
      s.getState().setIntegrationView({ search: 'other' });
    });
    expect(html).not.toContain('data-name="Jira A"');
    expect(html).toContain('data-name="Other"');
  });
});

describe('IntegrationsPage by role', () => {
  const rows = (s: AppStore, role: 'viewer' | 'operator' | 'admin' | null) =>
    s.setState({ session: role ? session(role) : null, integrationsStatus: 'ready', integrationsTenantId: 1, integrations: [integration(1, 'Jira A')] });
  const controls = ['new-jira', 'new-github', 'edit-integration', 'toggle-integration', 'delete-integration'];

  it('shows an admin every create, edit, activate and delete control, and no role line', () => {
    const html = render(<IntegrationsPage />, (s) => rows(s, 'admin'));
    for (const id of controls) expect(html, id).toContain(`data-testid="${id}"`);
    expect(html).not.toContain('data-testid="role-notice"');
  });

  it.each(['viewer', 'operator'] as const)('shows %s the list without a single change control, and says so once', (role) => {
    const html = render(<IntegrationsPage />, (s) => rows(s, role));
    expect(html).toContain('data-name="Jira A"');
    for (const id of controls) expect(html, id).not.toContain(`data-testid="${id}"`);
    expect(html.match(/data-testid="role-notice"/g)).toHaveLength(1);
    expect(html).toContain(`You are signed in as ${role === 'viewer' ? 'a viewer' : 'an operator'}: changes are hidden.`);
  });

  it('hides the controls until the session is known', () => {
    const html = render(<IntegrationsPage />, (s) => rows(s, null));
    expect(html).not.toContain('data-testid="new-jira"');
    expect(html).not.toContain('data-testid="role-notice"');
  });
});

describe('IntegrationForm', () => {
  it('asks for a token on create, with the Jira fields and the project picker', () => {
    const html = render(<IntegrationForm target={{ mode: 'create', provider: 'jira' }} onDone={() => undefined} onCancel={() => undefined} />);
    expect(html).toContain('New Jira Cloud integration');
    for (const id of ['field-name', 'field-baseUrl', 'field-token', 'field-settings-email', 'field-settings-baseJql', 'project-picker', 'field-settings-pageSize', 'field-settings-rateLimitPerSecond']) {
      expect(html, id).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain('type="password"');
    expect(html).toContain('No keys: every project the account can see is extracted.');
  });

  it('shows a stored token only by its hint on edit, and the GitHub fields', () => {
    const html = render(<IntegrationForm target={{ mode: 'edit', integration: integration(5, 'Org', { provider: 'github', settings: { organization: 'acme' } }) }} onDone={() => undefined} onCancel={() => undefined} />);
    expect(html).toContain('Edit Org');
    expect(html).toContain('A token is stored (…a1b2). Type a new one to replace it; leave empty to keep it.');
    expect(html).toContain('data-testid="field-settings-organization"');
    expect(html).toContain('data-testid="field-settings-repositoryPatterns"');
    expect(html).not.toContain('project-picker');
  });
});

describe('DeleteDialog', () => {
  const plan = { id: 1, name: 'Jira A', deleted: false, removes: { runs: 2, rawUnits: 1, otherRows: 40, tables: [{ table: 'runs', rows: 2 }] } };
  it('lists what the delete removes', () => {
    const html = render(<DeleteDialog integration={integration(1, 'Jira A')} plan={plan} error={null} busy={false} onConfirm={() => undefined} onCancel={() => undefined} />);
    expect(html).toContain('Delete Jira A?');
    expect(html).toContain('2 runs with their steps and logs');
    expect(html).toContain('1 raw unit (stored API responses)');
    expect(html).toContain('40 other rows');
    expect(html).toMatch(/data-testid="confirm-delete">Delete permanently/);
  });

  it('blocks the delete while runs are in progress, saying why', () => {
    const html = render(<DeleteDialog integration={integration(1, 'Jira A', { activeRuns: 1 })} plan={plan} error={null} busy={false} onConfirm={() => undefined} onCancel={() => undefined} />);
    expect(html).toContain('1 run is in progress: let them finish or cancel them on the Jobs screen first.');
    expect(html).toMatch(/disabled="" data-testid="confirm-delete"/);
  });
});
