import { describe, expect, it } from 'vitest';

import { createClient } from '../../api/client';
import { createAppStore } from '../../store';
import { memoryStorage } from '../../testing/fake-transport';
import { session, tenant } from '../../testing/fixtures';
import { renderStatic } from '../../testing/render-static';

import { TenantsPage } from './TenantsPage';

describe('TenantsPage', () => {
  it('lists tenants with tier and state, marks the selected one, and offers a create form', () => {
    const client = createClient();
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ tenants: [tenant(1, 'Acme'), tenant(2, 'Old Co', false)], tenantsStatus: 'ready', selectedTenantId: 1, session: session('admin') });
    const html = renderStatic(store, client, <TenantsPage />);
    expect(html).toMatch(/data-testid="tenant-row-1" data-name="Acme" data-active="true"/);
    expect(html).toMatch(/data-testid="tenant-row-2" data-name="Old Co" data-active="false"/);
    expect(html).toContain('Acme<span class="muted small"> · selected</span>');
    expect(html).toContain('>Basic<');
    expect(html).toContain('data-testid="create-tenant"');
    expect(html).toContain('>Activate<');
  });

  it('shows an operator the tenants without the create form or the edit and activate buttons', () => {
    const client = createClient();
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ tenants: [tenant(1, 'Acme'), tenant(2, 'Old Co', false)], tenantsStatus: 'ready', selectedTenantId: 1, session: session('operator') });
    const html = renderStatic(store, client, <TenantsPage />);
    expect(html).toContain('data-name="Old Co"');
    expect(html).not.toContain('data-testid="create-tenant"');
    expect(html).not.toContain('data-testid="edit-tenant-button"');
    expect(html).not.toContain('data-testid="toggle-tenant"');
    expect(html).toContain('You are signed in as an operator: changes are hidden.');
  });
});
