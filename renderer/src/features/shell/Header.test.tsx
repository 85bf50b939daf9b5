import { describe, expect, it } from 'vitest';

import { createClient } from '../../api/client';
import { createAppStore } from '../../store';
import { memoryStorage } from '../../testing/fake-transport';
import { session, tenant } from '../../testing/fixtures';
import { renderStatic } from '../../testing/render-static';

import { Header } from './Header';

function render(setup: (store: ReturnType<typeof createAppStore>) => void): string {
  const client = createClient();
  const store = createAppStore({ client, storage: memoryStorage() });
  setup(store);
  return renderStatic(store, client, <Header />);
}

describe('Header', () => {
  it('says "No tenants yet" when the engine has none', () => {
    const html = render((store) => store.setState({ tenants: [], tenantsStatus: 'ready' }));
    expect(html).toContain('No tenants yet');
    expect(html).not.toContain('<select');
  });

  it('lists tenants with the selected one chosen and marks inactive ones', () => {
    const html = render((store) =>
      store.setState({ tenants: [tenant(1, 'Acme'), tenant(2, 'Old Co', false)], tenantsStatus: 'ready', selectedTenantId: 2 }),
    );
    expect(html).toMatch(/<option value="2" selected="">Old Co \(inactive\)<\/option>/);
  });

  it('shows the connection as text and data, and a theme toggle', () => {
    const html = render((store) => store.getState().setConnection('reconnecting'));
    expect(html).toContain('data-testid="connection-state" data-state="reconnecting"');
    expect(html).toContain('Reconnecting…');
    expect(html).toContain('data-testid="theme-toggle"');
  });

  it('shows the signed-in role and the active profile once the session is known', () => {
    expect(render(() => undefined)).not.toContain('data-testid="session-badge"');
    const html = render((store) => store.setState({ session: session('operator', { principal: 'ops-anna', profile: { id: 'staging', name: 'Staging', kind: 'remote' } }) }));
    expect(html).toContain('data-testid="session-badge" data-role="operator" data-profile="Staging" title="Signed in as ops-anna (operator)"');
    expect(html).toContain('data-testid="session-profile">Staging<');
    expect(html).toContain('data-testid="session-role">operator<');
    expect(render((store) => store.setState({ session: session('viewer') }))).not.toContain('data-testid="session-profile"');
  });
});
