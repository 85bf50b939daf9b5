import type { StateCreator } from 'zustand';

import type { LoadedEntity, VectorEntity } from '../../../shared/contract/vectors';

import { describeError } from './describe-error';
import type { ApiCaller, AppState, VectorsSlice } from './types';

/**
 * The Vectors screen's data for the selected tenant: the last status (counts, collections, health),
 * the last search and the detail opened from it. Answers for a tenant the operator has left are
 * dropped; a status refresh never clears what is on screen until the new one arrives.
 */
export const createVectorsSlice =
  (client: ApiCaller): StateCreator<AppState, [['zustand/persist', unknown]], [], VectorsSlice> =>
  (set, get) => ({
    vectors: null,
    vectorsTenantId: null,
    vectorsLoad: 'idle',
    vectorsError: null,
    search: { query: '', hits: [], embedder: null, state: 'idle', error: null, tookMs: null },
    item: { target: null, detail: null, state: 'idle', error: null },

    async loadVectors() {
      const tenantId = get().selectedTenantId;
      if (tenantId !== get().vectorsTenantId) {
        set({ vectors: null, vectorsTenantId: tenantId, search: { query: '', hits: [], embedder: null, state: 'idle', error: null, tookMs: null }, item: { target: null, detail: null, state: 'idle', error: null } });
      }
      if (tenantId === null) {
        set({ vectorsLoad: 'ready' });
        return;
      }
      set({ vectorsLoad: get().vectors ? 'ready' : 'loading' });
      try {
        const status = await client.call('vectors.status', {});
        if (get().selectedTenantId !== tenantId) return;
        set({ vectors: status, vectorsLoad: 'ready', vectorsError: null });
      } catch (error) {
        if (get().selectedTenantId !== tenantId) return;
        set({ vectorsLoad: 'error', vectorsError: describeError(error) });
      }
    },

    async reembed(entity: VectorEntity, scope: 'missing' | 'all') {
      const { message } = await client.call('vectors.reembed', { entity, scope });
      void get().loadVectors();
      return message;
    },

    async runSearch(query: string) {
      const tenantId = get().selectedTenantId;
      set({ search: { ...get().search, query, state: 'loading', error: null } });
      try {
        const r = await client.call('vectors.search', { query });
        if (get().selectedTenantId !== tenantId || get().search.query !== query) return;
        set({ search: { query, hits: r.hits, embedder: r.embedder, state: 'ready', error: null, tookMs: r.tookMs } });
      } catch (error) {
        if (get().selectedTenantId !== tenantId || get().search.query !== query) return;
        set({ search: { ...get().search, hits: [], state: 'error', error: describeError(error) } });
      }
    },

    async openItem(entity: LoadedEntity, id: number) {
      const target = { entity, id };
      set({ item: { target, detail: null, state: 'loading', error: null } });
      try {
        const detail = await client.call('vectors.item', target);
        if (get().item.target !== target) return;
        set({ item: { target, detail, state: 'ready', error: null } });
      } catch (error) {
        if (get().item.target !== target) return;
        set({ item: { target, detail: null, state: 'error', error: describeError(error) } });
      }
    },

    closeItem: () => set({ item: { target: null, detail: null, state: 'idle', error: null } }),
  });
