import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { createClient } from './api/client';
import { selectTransport } from './api/select';
import { App } from './app/App';
import { AppProvider } from './app/context';
import { syncTheme } from './app/theme-sync';
import { connectStore } from './store/bridge';
import { createAppStore } from './store';
import './styles/tokens.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/system.css';
import './styles/forms.css';
import './styles/operate.css';

// Composition root: client, store and their wiring exist once, outside React.
const client = createClient();
const store = createAppStore({ client, storage: window.localStorage });
syncTheme(store, window);
connectStore(client, store);
const transport = selectTransport(window);
if (transport) client.attach(transport);

const container = document.getElementById('root');
if (!container) throw new Error('index.html lost its #root element; the console cannot start.');
createRoot(container).render(
  <StrictMode>
    <AppProvider store={store} client={client}>
      <App />
    </AppProvider>
  </StrictMode>,
);
