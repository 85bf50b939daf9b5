import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

import type { SluiceClient } from '../api/client';
import { AppProvider } from '../app/context';
import type { AppStore } from '../store';

/**
 * Renders markup in the node test environment, no DOM library needed; effects do not run.
 * Server rendering reads zustand's *initial* state (getServerSnapshot), so the store is passed
 * with its current state standing in for the initial one.
 */
export function renderStatic(store: AppStore, client: SluiceClient, element: ReactNode): string {
  const current: AppStore = { ...store, getInitialState: store.getState };
  return renderToStaticMarkup(
    <AppProvider store={current} client={client}>
      {element}
    </AppProvider>,
  );
}
