import { describe, expect, it } from 'vitest';

import type { SluiceBridge } from '../../../shared/contract/bridge';
import type { CallResult } from '../../../shared/contract/wire';

import { createDesktopTransport } from './desktop-transport';
import type { EventMessage } from './transport';

function fakeBridge(answer: () => Promise<unknown>) {
  let push: ((message: EventMessage) => void) | null = null;
  const bridge: SluiceBridge = {
    call: () => answer() as Promise<CallResult>,
    onEvent(listener) {
      push = listener;
      return () => (push = null);
    },
    platform: { os: 'linux', desktop: true },
  };
  return { bridge, push: (m: EventMessage) => push?.(m), attached: () => push !== null };
}

describe('createDesktopTransport', () => {
  it('passes call results through and is connected from the start', async () => {
    const { bridge } = fakeBridge(() => Promise.resolve({ ok: true, result: { tenants: [] } }));
    const transport = createDesktopTransport(bridge);
    expect(transport.connection).toBe('connected');
    expect(await transport.call('tenants.list', {}, { tenantId: null })).toEqual({ ok: true, result: { tenants: [] } });
  });

  it('sends the selected tenant with every call', async () => {
    const seen: unknown[] = [];
    const bridge: SluiceBridge = {
      call: (method, input, options) => (seen.push([method, input, options]), Promise.resolve({ ok: true, result: {} })),
      onEvent: () => () => undefined,
      platform: { os: 'linux', desktop: true },
    };
    await createDesktopTransport(bridge).call('tenants.list', { includeInactive: false }, { tenantId: 42 });
    expect(seen).toEqual([['tenants.list', { includeInactive: false }, { tenantId: 42 }]]);
  });

  it('turns a malformed envelope or a rejection into an internal error', async () => {
    const malformed = createDesktopTransport(fakeBridge(() => Promise.resolve({ nope: true })).bridge);
    expect(await malformed.call('system.health', {}, { tenantId: null })).toMatchObject({ ok: false, error: { code: 'internal' } });
    const throwing = createDesktopTransport(fakeBridge(() => Promise.reject(new Error('ipc gone'))).bridge);
    const result = await throwing.call('system.health', {}, { tenantId: null });
    expect(!result.ok && result.error.message).toMatch(/ipc gone/);
  });

  it('forwards bridge events and detaches on close', () => {
    const fake = fakeBridge(() => Promise.resolve({ ok: true, result: {} }));
    const transport = createDesktopTransport(fake.bridge);
    const seen: string[] = [];
    transport.onEvent((m) => seen.push(m.event));
    fake.push({ type: 'event', event: 'system.health', payload: {} });
    transport.close();
    expect(seen).toEqual(['system.health']);
    expect(fake.attached()).toBe(false);
  });
});
