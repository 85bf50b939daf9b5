import { z } from 'zod';
import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware';
import { createStore, type StoreApi } from 'zustand/vanilla';

import { createIntegrationsSlice } from './integrations-slice';
import { createMappingsSlice } from './mappings-slice';
import { createJobsSlice } from './jobs-slice';
import { createOperateSlice } from './operate-slice';
import { createRawSlice } from './raw-slice';
import { createSessionSlice } from './session-slice';
import { createSystemSlice } from './system-slice';
import { createTenantsSlice } from './tenants-slice';
import { createToastsSlice } from './toasts-slice';
import type { ApiCaller, AppState } from './types';
import { createUiSlice } from './ui-slice';
import { createVectorsSlice } from './vectors-slice';

export type { ApiCaller, AppState, ThemePreference, ResolvedTheme } from './types';
export { resolveTheme } from './ui-slice';

export type AppStore = StoreApi<AppState>;

/** localStorage key of the persisted UI preferences. */
export const PREFS_KEY = 'sluice.prefs';

// localStorage is user-editable: anything that does not match is ignored, field by field.
const PersistedPrefs = z.object({
  theme: z.enum(['light', 'dark', 'system']).optional().catch(undefined),
  selectedTenantId: z.number().int().positive().nullable().optional().catch(undefined),
});

export interface StoreDeps {
  readonly client: ApiCaller;
  /** Where preferences live; the browser's localStorage in the app, a Map in tests. */
  readonly storage: StateStorage;
}

/** One store made of slices; only the theme and the selected tenant are persisted. */
export function createAppStore({ client, storage }: StoreDeps): AppStore {
  return createStore<AppState>()(
    persist(
      (...a) => ({
        ...createUiSlice(...a),
        ...createSessionSlice(client)(...a),
        ...createTenantsSlice(client)(...a),
        ...createSystemSlice(client)(...a),
        ...createIntegrationsSlice(client)(...a),
        ...createMappingsSlice(client)(...a),
        ...createJobsSlice(client)(...a),
        ...createOperateSlice(client)(...a),
        ...createToastsSlice(...a),
        ...createVectorsSlice(client)(...a),
        ...createRawSlice(...a),
      }),
      {
        name: PREFS_KEY,
        version: 1,
        storage: createJSONStorage(() => storage),
        partialize: (state) => ({ theme: state.theme, selectedTenantId: state.selectedTenantId }),
        merge: (persisted, current) => {
          const parsed = PersistedPrefs.safeParse(persisted);
          if (!parsed.success) return current;
          const { theme, selectedTenantId } = parsed.data;
          return {
            ...current,
            ...(theme !== undefined ? { theme } : {}),
            ...(selectedTenantId !== undefined ? { selectedTenantId } : {}),
          };
        },
      },
    ),
  );
}
