import type { SluiceClient } from '../api/client';

import type { AppStore } from './index';

/**
 * Feeds the store from the client, outside React, once per app: pushed health reports, the
 * connection state, the session (role and profile, again on `session.changed`), the tenant header, and a tenants reload after the server comes back; live run
 * progress and job changes for the jobs dashboard; run notifications as toasts (selected tenant only).
 * Returns the disposer (tests, hot reload).
 */
export function connectStore(client: SluiceClient, store: AppStore): () => void {
  const state = store.getState;
  client.setTenant(state().selectedTenantId);

  const disposers = [
    client.subscribe('system.health', (report) => state().setHealth(report)),
    client.subscribe('runs.progress', (progress) => state().applyProgress(progress)),
    client.subscribe('jobs.changed', ({ tenantId, jobId }) => {
      if (tenantId === state().jobsTenantId) void state().refreshJob(jobId);
    }),
    client.subscribe('notifications.run', (note) => {
      if (note.tenantId !== state().selectedTenantId) return;
      state().pushToast({ tone: note.state === 'failed' ? 'error' : 'warn', title: note.state === 'failed' ? `Run failed: ${note.title}` : `Run finished partial: ${note.title}`, message: note.message, runId: note.runId });
    }),
    // The active profile or the replica changed: ask who we are again (role, profile, firstRun).
    client.subscribe('session.changed', () => void state().loadSession()),
    client.onConnection((next) => {
      const previous = state().connection;
      state().setConnection(next);
      // After an outage the tenant list may have changed; health comes back by itself as events.
      if (next === 'connected' && previous === 'reconnecting') {
        void state().loadTenants();
        // The engine may have restarted with another profile (and role) while we were away.
        void state().loadSession();
        // Events were missed while disconnected: read the dashboard again once.
        if (state().jobsTenantId !== null) void state().loadJobs();
      }
    }),
    store.subscribe((now, before) => {
      if (now.selectedTenantId !== before.selectedTenantId) client.setTenant(now.selectedTenantId);
    }),
  ];
  state().setConnection(client.connection);
  void state().loadSession();
  void state().loadTenants();

  return () => {
    for (const dispose of disposers) dispose();
  };
}
