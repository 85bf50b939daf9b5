import { describe, expect, it, vi } from 'vitest';

import { createClient } from '../api/client';
import { FakeTransport, memoryStorage } from '../testing/fake-transport';
import { healthReport, tenant } from '../testing/fixtures';

import { connectStore } from './bridge';
import { createAppStore } from './index';

function setup() {
  let tenants = [tenant(1, 'Acme'), tenant(2, 'Beta')];
  const transport = new FakeTransport((method) =>
    method === 'tenants.list' ? { ok: true, result: { tenants } } : { ok: true, result: healthReport() },
  );
  const client = createClient();
  const store = createAppStore({ client, storage: memoryStorage() });
  const dispose = connectStore(client, store);
  return { transport, client, store, dispose, setTenants: (next: typeof tenants) => (tenants = next) };
}

describe('connectStore', () => {
  it('loads tenants through the queue once the transport arrives, and sends the selected tenant', async () => {
    const { transport, client, store } = setup();
    client.attach(transport);
    await vi.waitFor(() => expect(store.getState().tenants.map((t) => t.name)).toEqual(['Acme', 'Beta']));
    expect(store.getState().selectedTenantId).toBe(1);

    store.getState().selectTenant(2);
    await client.call('system.health', {});
    expect(transport.calls.at(-1)?.context.tenantId).toBe(2);
  });

  it('puts pushed health reports and connection changes into the store', () => {
    const { transport, client, store } = setup();
    client.attach(transport);
    transport.push('system.health', healthReport({ engineVersion: '2.0.0' }));
    expect(store.getState().health?.engineVersion).toBe('2.0.0');
    transport.setConnection('reconnecting');
    expect(store.getState().connection).toBe('reconnecting');
  });

  it('reloads tenants when the connection comes back', async () => {
    const { transport, client, store, setTenants } = setup();
    client.attach(transport);
    await vi.waitFor(() => expect(store.getState().tenantsStatus).toBe('ready'));
    setTenants([tenant(7, 'Gamma')]);
    transport.setConnection('reconnecting');
    transport.setConnection('connected');
    await vi.waitFor(() => expect(store.getState().tenants.map((t) => t.name)).toEqual(['Gamma']));
    expect(store.getState().selectedTenantId).toBe(7);
  });

  it('stops feeding the store after dispose', () => {
    const { transport, client, store, dispose } = setup();
    client.attach(transport);
    dispose();
    transport.push('system.health', healthReport());
    expect(store.getState().health).toBeNull();
  });
});
