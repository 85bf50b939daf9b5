import { describe, expect, it } from 'vitest';

import { ApiError } from '../../../shared/contract/errors';
import { createClient } from '../api/client';
import { FakeTransport, memoryStorage } from '../testing/fake-transport';
import { healthReport, tenant } from '../testing/fixtures';

import { createAppStore, PREFS_KEY, resolveTheme } from './index';
import { reconcileSelection } from './tenants-slice';
import type { ApiCaller } from './types';

function clientAnswering(handler: (method: string) => unknown): ApiCaller {
  const client = createClient();
  client.attach(
    new FakeTransport((method) => {
      const result = handler(method);
      return result instanceof ApiError ? { ok: false, error: result.toBody() } : { ok: true, result };
    }),
  );
  return client;
}

describe('ui slice', () => {
  it('toggles from what is on screen to the other explicit theme', () => {
    const store = createAppStore({ client: clientAnswering(() => ({})), storage: memoryStorage() });
    store.getState().setSystemDark(true);
    expect(resolveTheme(store.getState())).toBe('dark'); // default: follow the system
    store.getState().toggleTheme();
    expect(store.getState().theme).toBe('light');
    store.getState().toggleTheme();
    expect(store.getState().theme).toBe('dark');
  });
});

describe('persistence', () => {
  it('stores only the theme and the selected tenant', async () => {
    const storage = memoryStorage();
    const store = createAppStore({
      client: clientAnswering(() => ({ tenants: [tenant(5, 'Acme')] })),
      storage,
    });
    store.getState().setTheme('dark');
    await store.getState().loadTenants();
    store.getState().setHealth(healthReport());

    const saved = JSON.parse(storage.data.get(PREFS_KEY) ?? '{}') as { state: unknown };
    expect(saved.state).toEqual({ theme: 'dark', selectedTenantId: 5 });
  });

  it('restores valid preferences and ignores tampered ones', () => {
    const good = memoryStorage({ [PREFS_KEY]: JSON.stringify({ state: { theme: 'dark', selectedTenantId: 9 }, version: 1 }) });
    const restored = createAppStore({ client: clientAnswering(() => ({})), storage: good }).getState();
    expect([restored.theme, restored.selectedTenantId]).toEqual(['dark', 9]);

    const bad = memoryStorage({ [PREFS_KEY]: JSON.stringify({ state: { theme: 'neon', selectedTenantId: 'x' }, version: 1 }) });
    const fallback = createAppStore({ client: clientAnswering(() => ({})), storage: bad }).getState();
    expect([fallback.theme, fallback.selectedTenantId]).toEqual(['system', null]);
  });
});

describe('tenants slice', () => {
  it('keeps a remembered tenant that still exists, else picks the first', () => {
    const list = [tenant(1, 'A'), tenant(2, 'B')];
    expect(reconcileSelection(list, 2)).toBe(2);
    expect(reconcileSelection(list, 99)).toBe(1);
    expect(reconcileSelection([], 2)).toBeNull();
  });

  it('loads tenants and reports a failure as one sentence', async () => {
    let fail = false;
    const store = createAppStore({
      client: clientAnswering(() => (fail ? new ApiError('unavailable', 'Postgres is down; start it.') : { tenants: [tenant(3, 'C')] })),
      storage: memoryStorage(),
    });
    await store.getState().loadTenants();
    expect(store.getState()).toMatchObject({ tenantsStatus: 'ready', selectedTenantId: 3 });
    expect(store.getState().tenants.map((t) => t.name)).toEqual(['C']);

    fail = true;
    await store.getState().loadTenants();
    expect(store.getState()).toMatchObject({ tenantsStatus: 'error', tenantsError: 'Postgres is down; start it.' });
  });
});

describe('system slice', () => {
  it('keeps the newest report when an older one arrives late', () => {
    const store = createAppStore({ client: clientAnswering(() => ({})), storage: memoryStorage() });
    store.getState().setHealth(healthReport({ checkedAt: '2025-01-01T10:00:05.000Z', engineVersion: 'new' }));
    store.getState().setHealth(healthReport({ checkedAt: '2025-01-01T10:00:01.000Z', engineVersion: 'old' }));
    expect(store.getState().health?.engineVersion).toBe('new');
  });

  it('checkHealth stores the report, or the error while keeping the last report', async () => {
    let fail = false;
    const store = createAppStore({
      client: clientAnswering(() => (fail ? new ApiError('unavailable', 'Engine unreachable.') : healthReport())),
      storage: memoryStorage(),
    });
    await store.getState().checkHealth();
    expect(store.getState()).toMatchObject({ checkingHealth: false, healthError: null });
    expect(store.getState().health?.services).toHaveLength(4);

    fail = true;
    await store.getState().checkHealth();
    expect(store.getState()).toMatchObject({ checkingHealth: false, healthError: 'Engine unreachable.' });
    expect(store.getState().health).not.toBeNull();
  });
});
