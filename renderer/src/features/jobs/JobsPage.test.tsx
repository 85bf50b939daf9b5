import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import type { Role } from '../../../../shared/contract/roles';
import { createClient } from '../../api/client';
import { createAppStore } from '../../store';
import { memoryStorage } from '../../testing/fake-transport';
import { integration, job, session, tenant } from '../../testing/fixtures';
import { renderStatic } from '../../testing/render-static';

import { JobsPage } from './JobsPage';

function render(role: Role | null, extra: Record<string, unknown> = {}): string {
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
    ...extra,
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

  it('shows the vectorize stage of a finished run still catching up, with its counts', () => {
    const lastRun = { id: 21, state: 'succeeded', totals: { units: 4, extracted: 40, transformed: 40, loaded: 40, failed: 0, skipped: 0, pending: 0 }, durationMs: 1000, error: null, rateLimitedUntil: null } as never;
    const step = { step: 'issues', label: 'Issues', units: 4, extracted: 40, transformed: 40, loaded: 40, failed: 0, skipped: 0, pending: 0, extractionDone: true, extractedPerSec: 0, loadedPerSec: 0 };
    const progress = (units: number) => ({ runId: 21, tenantId: 1, jobId: 3, integrationId: 2, state: 'succeeded', steps: [{ ...step, vectorize: { units, ofUnits: 4, entities: units * 10 } }], totals: lastRun, rateLimit: { limitedUntil: null, tokens: null, capacity: null }, at: '2026-01-01T10:00:00Z' });
    const behind = render('viewer', { jobs: [job(3, 'Nightly', { lastRun })], progressByRun: { 21: progress(3) } });
    expect(behind).toMatch(/data-testid="stage-load" data-status="done"/);
    expect(behind).toMatch(/data-testid="stage-vectorize" data-status="running"/);
    expect(behind).toContain('vectors: 3 of 4 units (30 entities)');
    const caughtUp = render('viewer', { jobs: [job(3, 'Nightly', { lastRun })], progressByRun: { 21: progress(4) } });
    expect(caughtUp).toMatch(/data-testid="stage-vectorize" data-status="done"/);
    expect(caughtUp).toContain('vectors: all 4 units (40 entities)');
  });
});
