import { describe, expect, it } from 'vitest';

import { createClient } from '../../api/client';
import { createAppStore } from '../../store';
import { memoryStorage } from '../../testing/fake-transport';
import { healthReport } from '../../testing/fixtures';
import { renderStatic } from '../../testing/render-static';

import { SystemPage } from './SystemPage';

function render(setup: (store: ReturnType<typeof createAppStore>) => void): string {
  const client = createClient();
  const store = createAppStore({ client, storage: memoryStorage() });
  setup(store);
  return renderStatic(store, client, <SystemPage />);
}

const rowOf = (html: string, service: string): string => {
  const start = html.indexOf(`data-testid="service-${service}"`);
  const next = html.indexOf('data-testid="service-', start + 1 + `service-${service}`.length);
  const end = html.indexOf('data-testid="service-', next === -1 ? html.length : next);
  return html.slice(start, end === -1 ? html.length : end);
};

describe('SystemPage', () => {
  it('renders one row per service with its state as data and as text', () => {
    const html = render((store) => store.getState().setHealth(healthReport()));
    expect(html).toContain('data-testid="system-page"');
    for (const [service, state] of [
      ['postgres', 'up'],
      ['rabbitmq', 'up'],
      ['redis', 'down'],
      ['qdrant', 'not_configured'],
    ]) {
      expect(html).toMatch(new RegExp(`data-testid="service-${service}" data-state="${state}"`));
    }
    expect(html).toContain('Not configured');
    expect(html).toContain('3.10.8');
    expect(html).toContain('2.5 ms');
  });

  it('shows the message only for services that are not up', () => {
    const html = render((store) => store.getState().setHealth(healthReport()));
    const messages = html.match(/data-testid="service-message"/g) ?? [];
    expect(messages).toHaveLength(2);
    expect(html).toContain('Redis refused the connection; start it with <code>sluice stack up</code>.');
    expect(html).toContain('QDRANT_URL is not set; vectors are disabled.');
    expect(rowOf(html, 'postgres')).not.toContain('service-message');
  });

  it('explains a failed check when there is no report yet', () => {
    const html = render((store) =>
      store.setState({ healthError: 'Could not reach the Sluice server (Failed to fetch); check that `sluice serve` is running.' }),
    );
    expect(html).toContain('data-testid="health-error"');
    expect(html).toContain('check that <code>sluice serve</code> is running');
    expect(html).not.toContain('data-testid="service-postgres"');
  });
});
