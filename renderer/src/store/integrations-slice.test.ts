import { describe, expect, it } from 'vitest';

import { ApiError } from '../../../shared/contract/errors';
import type { Integration } from '../../../shared/contract/integrations';
import { integration, tenant } from '../testing/fixtures';
import { memoryStorage, scripted } from '../testing/fake-transport';

import { createAppStore } from './index';


describe('integrations slice', () => {
  it('loads the selected tenant\u2019s list, and drops an answer for a tenant the operator left', async () => {
    let release: (v: unknown) => void = () => undefined;
    const { client } = scripted((method) => (method === 'integrations.list' ? new Promise((r) => (release = r)) : {}));
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ tenants: [tenant(1, 'A'), tenant(2, 'B')], selectedTenantId: 1 });
    const loading = store.getState().loadIntegrations();
    store.getState().selectTenant(2);
    release({ integrations: [integration(1, 'Of tenant A')] });
    await loading;
    expect(store.getState().integrations).toEqual([]);
  });

  it('reports a failed load as one sentence', async () => {
    const { client } = scripted(() => new ApiError('unavailable', 'Postgres is unreachable; start it.'));
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ selectedTenantId: 1 });
    await store.getState().loadIntegrations();
    expect(store.getState()).toMatchObject({ integrationsStatus: 'error', integrationsError: 'Postgres is unreachable; start it.' });
  });

  it('puts created, updated and toggled integrations into the list, and removes a deleted one', async () => {
    let current: Integration = integration(7, 'New');
    const { client, calls } = scripted((method) => {
      if (method === 'integrations.delete') return { id: 7, name: 'New', deleted: true, removes: { runs: 0, rawUnits: 0, otherRows: 0, tables: [] } };
      return current;
    });
    const store = createAppStore({ client, storage: memoryStorage() });
    await store.getState().createIntegration({ provider: 'jira', name: 'New', baseUrl: 'https://x.atlassian.net', token: 't', settings: {} });
    expect(store.getState().integrations.map((i) => i.name)).toEqual(['New']);
    current = { ...current, active: false };
    await store.getState().setIntegrationActive(7, false);
    expect(store.getState().integrations[0]!.active).toBe(false);
    await store.getState().deleteIntegration(7, false);
    expect(store.getState().integrations).toEqual([]);
    expect(calls.map((c) => c.method)).toEqual(['integrations.create', 'integrations.setActive', 'integrations.delete']);
  });

  it('rethrows a refusal so the screen can show it, leaving the list as it was', async () => {
    const { client } = scripted(() => new ApiError('conflict', '"X" has 1 run in progress'));
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ integrations: [integration(1, 'X')] });
    await expect(store.getState().setIntegrationActive(1, false)).rejects.toMatchObject({ code: 'conflict' });
    expect(store.getState().integrations[0]!.active).toBe(true);
  });
});

describe('tenant admin actions', () => {
  it('create and update reload the tenant list the header shows', async () => {
    let tenants = [tenant(1, 'A')];
    const { client, calls } = scripted((method, input) => {
      if (method === 'tenants.list') return { tenants };
      const created = tenant(2, (input as { name: string }).name);
      tenants = [...tenants, created];
      return created;
    });
    const store = createAppStore({ client, storage: memoryStorage() });
    await store.getState().createTenant({ name: 'B' });
    expect(store.getState().tenants.map((t) => t.name)).toEqual(['A', 'B']);
    expect(calls.map((c) => c.method)).toEqual(['tenants.create', 'tenants.list']);
  });
});
