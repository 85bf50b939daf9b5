import { describe, expect, it } from 'vitest';

import { createClient } from '../api/client';
import { createAppStore } from '../store';
import { FakeTransport, memoryStorage } from '../testing/fake-transport';
import { renderStatic } from '../testing/render-static';

import { App } from './App';

function render(options: { attach: boolean; connection?: 'unauthorized' }): string {
  const client = createClient();
  const store = createAppStore({ client, storage: memoryStorage() });
  if (options.attach) client.attach(new FakeTransport());
  if (options.connection) store.getState().setConnection(options.connection);
  return renderStatic(store, client, <App />);
}

describe('App gates', () => {
  it('asks for the access link when the server refuses the session', () => {
    const html = render({ attach: true, connection: 'unauthorized' });
    expect(html).toContain('data-testid="unauthorized"');
    expect(html).toContain('This console needs its access link: open the URL printed by <code>sluice serve</code>');
  });

  it('explains that there is no engine when neither bridge nor server is available', () => {
    const html = render({ attach: false });
    expect(html).toContain('data-testid="no-transport"');
  });
});
