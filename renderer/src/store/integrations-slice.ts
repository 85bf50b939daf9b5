import type { StateCreator } from 'zustand';

import type { MethodInput } from '../../../shared/contract/api';
import type { Integration } from '../../../shared/contract/integrations';

import { describeError } from './describe-error';
import type { ApiCaller, AppState, IntegrationsSlice } from './types';

const byId = (list: Integration[], next: Integration): Integration[] =>
  list.some((i) => i.id === next.id) ? list.map((i) => (i.id === next.id ? next : i)) : [...list, next];

/**
 * The selected tenant's integrations as last loaded, plus the list's view state (filters, sort).
 * Mutations call the engine and put its answer into the list; they rethrow the ApiError so the form
 * can show field errors where they belong.
 */
export const createIntegrationsSlice =
  (client: ApiCaller): StateCreator<AppState, [['zustand/persist', unknown]], [], IntegrationsSlice> =>
  (set, get) => ({
    integrations: [],
    integrationsStatus: 'idle',
    integrationsError: null,
    integrationsTenantId: null,
    integrationView: { search: '', provider: 'all', state: 'all', sort: 'name', descending: false },
    setIntegrationView: (view) => set({ integrationView: { ...get().integrationView, ...view } }),

    async loadIntegrations() {
      const tenantId = get().selectedTenantId;
      // A list from another tenant must not linger on screen while the new one loads.
      if (tenantId !== get().integrationsTenantId) set({ integrations: [] });
      set({ integrationsStatus: 'loading', integrationsError: null, integrationsTenantId: tenantId });
      if (tenantId === null) {
        set({ integrationsStatus: 'ready' });
        return;
      }
      try {
        const { integrations } = await client.call('integrations.list', {});
        // A slow answer for a tenant the operator has since left is dropped.
        if (get().selectedTenantId !== tenantId) return;
        set({ integrations, integrationsStatus: 'ready' });
      } catch (error) {
        if (get().selectedTenantId !== tenantId) return;
        set({ integrationsStatus: 'error', integrationsError: describeError(error) });
      }
    },

    async createIntegration(input: MethodInput<'integrations.create'>) {
      const created = await client.call('integrations.create', input);
      set({ integrations: byId(get().integrations, created) });
      return created;
    },

    async updateIntegration(input: MethodInput<'integrations.update'>) {
      const updated = await client.call('integrations.update', input);
      set({ integrations: byId(get().integrations, updated) });
      return updated;
    },

    async setIntegrationActive(id, active) {
      const updated = await client.call('integrations.setActive', { id, active });
      set({ integrations: byId(get().integrations, updated) });
      return updated;
    },

    async deleteIntegration(id, dryRun) {
      const result = await client.call('integrations.delete', { id, dryRun });
      if (result.deleted) set({ integrations: get().integrations.filter((i) => i.id !== id) });
      return result;
    },
  });
