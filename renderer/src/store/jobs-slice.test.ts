import { describe, expect, it } from 'vitest';

import { ApiError } from '../../../shared/contract/errors';
import type { RunProgress } from '../../../shared/contract/runs';
import { FakeTransport, memoryStorage, scripted } from '../testing/fake-transport';
import { createClient } from '../api/client';

import { connectStore } from './bridge';
import { createAppStore } from './index';
import type { ApiCaller } from './types';

const progress = (runId: number, at: string, tenantId = 1, loaded = 1): RunProgress => ({
  runId,
  tenantId,
  jobId: 3,
  integrationId: 2,
  state: 'running',
  steps: [],
  totals: { units: 1, extracted: 5, transformed: 2, loaded, failed: 0, skipped: 0, pending: 1 },
  rateLimit: { limitedUntil: null, tokens: null, capacity: null },
  at,
});

describe('jobs slice and its events', () => {
  it('keeps the newest progress per run of the selected tenant only', () => {
    const client: ApiCaller = { call: async () => ({}) as never };
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ selectedTenantId: 1 });
    store.getState().applyProgress(progress(9, '2026-01-01T10:00:02Z', 1, 20));
    store.getState().applyProgress(progress(9, '2026-01-01T10:00:01Z', 1, 10));
    store.getState().applyProgress(progress(10, '2026-01-01T10:00:03Z', 2));
    expect(store.getState().progressByRun[9]?.totals.loaded).toBe(20);
    expect(store.getState().progressByRun[10]).toBeUndefined();
  });

  it('drops a card whose job was deleted meanwhile, and keeps it on any other error', async () => {
    let answer: unknown = new ApiError('not_found', 'Job 3 does not exist in this tenant.');
    const client: ApiCaller = {
      call: async () => {
        if (answer instanceof Error) throw answer;
        return answer as never;
      },
    };
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ selectedTenantId: 1, jobsTenantId: 1, jobs: [{ id: 3 } as never, { id: 4 } as never] });
    answer = new ApiError('unavailable', 'Postgres is unreachable.');
    await store.getState().refreshJob(4);
    expect(store.getState().jobs.map((j) => j.id)).toEqual([3, 4]);
    answer = new ApiError('not_found', 'Job 3 does not exist in this tenant.');
    await store.getState().refreshJob(3);
    expect(store.getState().jobs.map((j) => j.id)).toEqual([4]);
  });

  it('turns run notifications of the selected tenant into one toast per run, and jobs.changed into a refetch', async () => {
    const transport = new FakeTransport((method) => (method === 'tenants.list' ? { ok: true, result: { tenants: [] } } : { ok: false, error: { code: 'not_found', message: 'gone' } }));
    const client = createClient();
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ selectedTenantId: 1, jobsTenantId: 1, jobs: [{ id: 3 } as never] });
    connectStore(client, store);
    client.attach(transport);
    const note = { tenantId: 1, tenantName: 'A', runId: 12, jobId: 3, title: 'Nightly', state: 'partial', message: 'Run 12 of job "Nightly" finished partial: 2 unit(s) failed.', at: '2026-01-01T10:00:00Z' };
    transport.push('notifications.run', note);
    transport.push('notifications.run', note);
    transport.push('notifications.run', { ...note, tenantId: 2, runId: 13 });
    expect(store.getState().toasts).toEqual([expect.objectContaining({ tone: 'warn', title: 'Run finished partial: Nightly', runId: 12 })]);

    transport.push('jobs.changed', { tenantId: 1, jobId: 3, reason: 'deleted' });
    await new Promise((r) => setTimeout(r, 0));
    expect(transport.calls.filter((c) => c.method === 'jobs.get').map((c) => c.input)).toEqual([{ id: 3 }]);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().jobs).toEqual([]);
  });

  it('reads the progress of each card’s run once when the jobs load (a finished run gets no more pushes), and keeps the card on an error', async () => {
    const run = (id: number) => ({ id, state: 'succeeded' }) as never;
    const done = { ...progress(21, '2026-01-01T10:00:05Z'), state: 'succeeded' as const };
    const { client, calls } = scripted((method, input) => {
      if (method === 'jobs.list') return { jobs: [{ id: 3, activeRun: null, lastRun: run(21) }, { id: 4, activeRun: null, lastRun: run(22) }, { id: 5, activeRun: null, lastRun: null }], serverTime: '2026-01-01T10:00:06Z' };
      if (method === 'runs.progressOf') return (input as { id: number }).id === 21 ? done : new ApiError('not_found', 'Run 22 does not exist.');
      return new Error(`unexpected ${method}`);
    });
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ selectedTenantId: 1 });
    await store.getState().loadJobs();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.filter((c) => c.method === 'runs.progressOf').map((c) => c.input)).toEqual([{ id: 21 }, { id: 22 }]);
    expect(store.getState().progressByRun[21]?.state).toBe('succeeded');
    expect(store.getState().progressByRun[22]).toBeUndefined();
    expect(store.getState().jobs.map((j) => j.id)).toEqual([3, 4, 5]);
    // A run that already has pushed progress is not read again.
    await store.getState().loadJobs();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.filter((c) => c.method === 'runs.progressOf').map((c) => c.input)).toEqual([{ id: 21 }, { id: 22 }, { id: 22 }]);
  });
});
