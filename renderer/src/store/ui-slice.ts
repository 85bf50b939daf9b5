import type { StateCreator } from 'zustand';

import type { AppState, ResolvedTheme, UiSlice } from './types';

export const resolveTheme = (state: Pick<UiSlice, 'theme' | 'systemDark'>): ResolvedTheme =>
  state.theme === 'system' ? (state.systemDark ? 'dark' : 'light') : state.theme;

export const createUiSlice: StateCreator<AppState, [['zustand/persist', unknown]], [], UiSlice> = (set) => ({
  theme: 'system',
  systemDark: false,
  setTheme: (theme) => set({ theme }),
  toggleTheme: () => set((state) => ({ theme: resolveTheme(state) === 'dark' ? 'light' : 'dark' })),
  setSystemDark: (systemDark) => set({ systemDark }),
});
