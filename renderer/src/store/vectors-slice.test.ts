import { describe, expect, it } from 'vitest';

import { ApiError } from '../../../shared/contract/errors';
import type { VectorsStatus } from '../../../shared/contract/vectors';
import { memoryStorage, scripted } from '../testing/fake-transport';
import { disabledStatus, vectorsStatus, workItemDetail } from '../testing/vector-fixtures';

import { createAppStore } from './index';


describe('vectors slice', () => {
  it('loads the tenant’s status, keeps it on screen while refreshing, and drops an answer for a tenant the operator left', async () => {
    let release: (v: unknown) => void = () => undefined;
    const { client } = scripted(() => new Promise((r) => (release = r)));
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ selectedTenantId: 1 });
    const first = store.getState().loadVectors();
    expect(store.getState().vectorsLoad).toBe('loading');
    release(vectorsStatus());
    await first;
    expect(store.getState()).toMatchObject({ vectorsLoad: 'ready', vectorsTenantId: 1 });
    // A refresh keeps the last status on screen (no flicker back to "loading").
    const again = store.getState().loadVectors();
    expect(store.getState().vectorsLoad).toBe('ready');
    release(disabledStatus());
    await again;
    expect((store.getState().vectors as VectorsStatus).enabled).toBe(false);

    const late = store.getState().loadVectors();
    store.getState().selectTenant(2);
    release(vectorsStatus());
    await late;
    expect(store.getState().vectors).toEqual({ enabled: false, reason: expect.any(String) });
  });

  it('searches, opens a result and closes it; a failed search says why', async () => {
    const { client, calls } = scripted((method) => {
      if (method === 'vectors.search') return { hits: [{ entity: 'work_items', id: 5, integrationId: 1, integrationName: 'Jira', key: 'PROJ-5', title: 'Login', score: 0.81 }], embedder: vectorsStatus().embedder, tookMs: 12 };
      if (method === 'vectors.item') return workItemDetail();
      return new ApiError('unavailable', 'Qdrant is down.');
    });
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ selectedTenantId: 1 });
    await store.getState().runSearch('login');
    expect(store.getState().search).toMatchObject({ query: 'login', state: 'ready', tookMs: 12, hits: [{ key: 'PROJ-5' }] });
    await store.getState().openItem('work_items', 5);
    expect(store.getState().item).toMatchObject({ state: 'ready', detail: { key: 'PROJ-5' } });
    store.getState().closeItem();
    expect(store.getState().item.target).toBeNull();
    expect(calls.map((c) => c.method)).toEqual(['vectors.search', 'vectors.item']);

    const failing = createAppStore({ client: scripted(() => new ApiError('unavailable', 'Qdrant is down.')).client, storage: memoryStorage() });
    await failing.getState().runSearch('x');
    expect(failing.getState().search).toMatchObject({ state: 'error', error: 'Qdrant is down.', hits: [] });
  });

  it('re-embed returns the engine’s sentence and refreshes; an error is rethrown for the screen', async () => {
    const { client, calls } = scripted((method) => (method === 'vectors.reembed' ? { requestId: 'r', message: 'Re-embedding all work items: queued.' } : vectorsStatus()));
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ selectedTenantId: 1 });
    expect(await store.getState().reembed('work_items', 'all')).toBe('Re-embedding all work items: queued.');
    expect(calls[0]).toEqual({ method: 'vectors.reembed', input: { entity: 'work_items', scope: 'all' } });
    expect(calls[1]!.method).toBe('vectors.status');
    const refusing = createAppStore({ client: scripted(() => new ApiError('unavailable', 'QDRANT_URL is not set.')).client, storage: memoryStorage() });
    await expect(refusing.getState().reembed('prs', 'missing')).rejects.toThrow('QDRANT_URL is not set.');
  });
});
