import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';

import type { SluiceClient } from '../api/client';
import type { AppState, AppStore } from '../store';

interface AppContextValue {
  readonly store: AppStore;
  readonly client: SluiceClient;
}

const AppContext = createContext<AppContextValue | null>(null);

/** Hands the store and client to the tree; tests render screens with their own instances. */
export function AppProvider({ store, client, children }: AppContextValue & { children: ReactNode }) {
  return <AppContext.Provider value={{ store, client }}>{children}</AppContext.Provider>;
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('Sluice screens must be rendered inside <AppProvider>.');
  return value;
}

/** Reads one narrow piece of state; the component re-renders only when that piece changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

export function useClient(): SluiceClient {
  return useAppContext().client;
}
