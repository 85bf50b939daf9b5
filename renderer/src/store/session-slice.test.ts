import { describe, expect, it, vi } from 'vitest';

import type { SessionInfo } from '../../../shared/contract/session';
import { createClient } from '../api/client';
import { FakeTransport, memoryStorage } from '../testing/fake-transport';
import { session } from '../testing/fixtures';

import { connectStore } from './bridge';
import { createAppStore } from './index';
import type { ApiCaller } from './types';

describe('session slice', () => {
  it('loads session.info when the store connects, and again on session.changed', async () => {
    let current: SessionInfo = session('viewer');
    const transport = new FakeTransport((method) =>
      method === 'session.info' ? { ok: true, result: current } : method === 'tenants.list' ? { ok: true, result: { tenants: [] } } : { ok: false, error: { code: 'not_found', message: 'no' } },
    );
    const client = createClient();
    const store = createAppStore({ client, storage: memoryStorage() });
    connectStore(client, store);
    client.attach(transport);
    await vi.waitFor(() => expect(store.getState().session?.role).toBe('viewer'));
    expect(store.getState().sessionStatus).toBe('ready');

    current = session('operator', { profile: { id: 'staging', name: 'Staging', kind: 'remote' } });
    transport.push('session.changed', { reason: 'profile', at: '2026-01-01T10:00:00.000Z' });
    await vi.waitFor(() => expect(store.getState().session?.role).toBe('operator'));
    expect(store.getState().session?.profile?.name).toBe('Staging');
  });

  it('keeps the newest answer when an older request answers last', async () => {
    const answers: ((s: SessionInfo) => void)[] = [];
    const client: ApiCaller = { call: () => new Promise((resolve) => answers.push(resolve as (s: SessionInfo) => void)) as never };
    const store = createAppStore({ client, storage: memoryStorage() });
    const first = store.getState().loadSession();
    const second = store.getState().loadSession();
    answers[1]!(session('admin'));
    answers[0]!(session('viewer'));
    await Promise.all([first, second]);
    expect(store.getState().session?.role).toBe('admin');
  });

  it('keeps the last known session when a reload fails, and says why', async () => {
    let fail = false;
    const client: ApiCaller = {
      call: async () => {
        if (fail) throw new Error('socket closed');
        return session('operator') as never;
      },
    };
    const store = createAppStore({ client, storage: memoryStorage() });
    await store.getState().loadSession();
    fail = true;
    await store.getState().loadSession();
    expect(store.getState().session?.role).toBe('operator');
    expect(store.getState().sessionStatus).toBe('error');
    expect(store.getState().sessionError).toBe('Unexpected error: socket closed');
  });
});
