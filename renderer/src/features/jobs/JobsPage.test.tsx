import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import type { Role } from '../../../../shared/contract/roles';
import { createClient } from '../../api/client';
import { createAppStore } from '../../store';
import { memoryStorage } from '../../testing/fake-transport';
import { integration, job, session, tenant } from '../../testing/fixtures';
import { renderStatic } from '../../testing/render-static';

import { JobsPage } from './JobsPage';

function render(role: Role | null): string {
  const client = createClient();
  const store = createAppStore({ client, storage: memoryStorage() });
  store.setState({
    tenants: [tenant(1, 'Acme')],
    tenantsStatus: 'ready',
    selectedTenantId: 1,
    integrations: [integration(2, 'Acme Jira')],
    jobs: [job(3, 'Nightly')],
    jobsStatus: 'ready',
    jobsTenantId: 1,
    session: role ? session(role) : null,
  });
  return renderStatic(
    store,
    client,
    <MemoryRouter>
      <JobsPage />
    </MemoryRouter>,
  );
}

const runControls = ['run-now', 'pause', 'resume', 'cancel', 'full-refresh', 'retransform'];
const adminControls = ['new-job', 'settings'];
const has = (html: string, id: string) => html.includes(`data-testid="${id}"`);

describe('JobsPage and JobCard by role', () => {
  it('shows an admin the run controls, the settings and “New job”', () => {
    const html = render('admin');
    for (const id of [...runControls, ...adminControls]) expect(has(html, id), id).toBe(true);
    expect(has(html, 'role-notice')).toBe(false);
  });

  it('shows an operator the run controls but neither the settings nor “New job”', () => {
    const html = render('operator');
    for (const id of runControls) expect(has(html, id), id).toBe(true);
    for (const id of adminControls) expect(has(html, id), id).toBe(false);
    expect(html).toContain('You are signed in as an operator: changes that need an admin are hidden.');
  });

  it('shows a viewer the card and its state without one control, and says so', () => {
    const html = render('viewer');
    expect(html).toContain('Nightly');
    for (const id of [...runControls, ...adminControls]) expect(has(html, id), id).toBe(false);
    expect(html).toContain('You are signed in as a viewer: changes are hidden.');
  });

  it('shows no control before the session is known', () => {
    const html = render(null);
    for (const id of [...runControls, ...adminControls]) expect(has(html, id), id).toBe(false);
    expect(has(html, 'role-notice')).toBe(false);
  });
});
