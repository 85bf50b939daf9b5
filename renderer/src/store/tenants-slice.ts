import type { StateCreator } from 'zustand';

import type { Tenant } from '../../../shared/contract/tenants';

import { describeError } from './describe-error';
import type { ApiCaller, AppState, TenantsSlice } from './types';

/**
 * Keeps the remembered tenant if it still exists; otherwise picks the first one the server lists
 * (active first), so tenant-scoped screens have something to show.
 */
export function reconcileSelection(tenants: readonly Tenant[], selected: number | null): number | null {
  if (selected !== null && tenants.some((t) => t.id === selected)) return selected;
  return tenants[0]?.id ?? null;
}

export const createTenantsSlice =
  (client: ApiCaller): StateCreator<AppState, [['zustand/persist', unknown]], [], TenantsSlice> =>
  (set, get) => ({
    tenants: [],
    tenantsStatus: 'idle',
    tenantsError: null,
    selectedTenantId: null,
    selectTenant: (id) => set({ selectedTenantId: id }),
    async loadTenants() {
      set({ tenantsStatus: 'loading', tenantsError: null });
      try {
        const { tenants } = await client.call('tenants.list', { includeInactive: true });
        set({
          tenants,
          tenantsStatus: 'ready',
          selectedTenantId: reconcileSelection(tenants, get().selectedTenantId),
        });
      } catch (error) {
        set({ tenantsStatus: 'error', tenantsError: describeError(error) });
      }
    },
    async createTenant(input) {
      const created = await client.call('tenants.create', input);
      await get().loadTenants();
      return created;
    },
    async updateTenant(input) {
      const updated = await client.call('tenants.update', input);
      await get().loadTenants();
      return updated;
    },
  });
