import { describe, expect, it, vi } from 'vitest';

import { BRIDGE_GLOBAL } from '../../shared/contract/bridge';
import type { CallResult, ServerSocketMessage } from '../../shared/contract/wire';
import { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, IPC_SUBSCRIBE_CHANNEL } from '../../shared/contract/wire';

vi.mock('electron', () => import('../testing/fake-electron'));

interface Bridge {
  call(method: string, input: unknown, options?: { tenantId?: number | null }): Promise<CallResult>;
  onEvent(listener: (message: Extract<ServerSocketMessage, { type: 'event' }>) => void): () => void;
  platform: { os: string; desktop: true };
}

/** The parts of main/testing/fake-electron this test drives (the preload zone may not import it). */
interface FakeElectronView {
  resetFakeElectron(): void;
  contextBridge: { exposed: Record<string, unknown> };
  ipcRenderer: {
    invoked: { channel: string; args: unknown[] }[];
    sentToMain: { channel: string; args: unknown[] }[];
    respond: (channel: string, ...args: unknown[]) => unknown;
    fakePush(channel: string, ...args: unknown[]): void;
  };
}

/** Runs the preload from scratch (it keeps module state) against a fresh fake electron. */
const loadPreload = async () => {
  vi.resetModules();
  // The mocked 'electron' is what the preload sees; a direct import of the fake could be another copy.
  const fake = (await import('electron')) as unknown as FakeElectronView;
  fake.resetFakeElectron();
  await import('./index');
  return { fake, bridge: fake.contextBridge.exposed[BRIDGE_GLOBAL] as Bridge };
};

describe('preload bridge', () => {
  it('exposes only the bridge, with no way to reach ipcRenderer', async () => {
    const { fake, bridge } = await loadPreload();
    expect(Object.keys(fake.contextBridge.exposed)).toEqual([BRIDGE_GLOBAL]);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent', 'platform']);
    expect(bridge.platform).toEqual({ os: process.platform, desktop: true });
    expect(Object.values(bridge)).not.toContain(fake.ipcRenderer);
  });

  it('sends a contract call as one envelope on its own channel and returns the result', async () => {
    const { fake, bridge } = await loadPreload();
    fake.ipcRenderer.respond = () => ({ ok: true, result: { tenants: [] } });
    await expect(bridge.call('tenants.list', { includeInactive: false }, { tenantId: 4 })).resolves.toEqual({ ok: true, result: { tenants: [] } });
    await bridge.call('system.health', {});
    expect(fake.ipcRenderer.invoked).toEqual([
      { channel: IPC_CALL_PREFIX + 'tenants.list', args: [{ input: { includeInactive: false }, tenantId: 4 }] },
      { channel: IPC_CALL_PREFIX + 'system.health', args: [{ input: {}, tenantId: null }] },
    ]);
  });

  it('refuses unknown methods without an IPC round trip', async () => {
    const { fake, bridge } = await loadPreload();
    for (const method of ['system.shutdown', '__proto__', 'constructor', 'toString', '', 'x'.repeat(5000)]) {
      const answer = await bridge.call(method, {});
      expect(answer).toMatchObject({ ok: false, error: { code: 'not_found' } });
      if (!answer.ok) expect(answer.error.message.length).toBeLessThan(200);
    }
    expect(fake.ipcRenderer.invoked).toEqual([]);
  });

  it('never rejects: a dead main process or a malformed answer become errors as data', async () => {
    const { fake, bridge } = await loadPreload();
    fake.ipcRenderer.respond = () => {
      throw new Error('Error invoking remote method: reply was never sent');
    };
    await expect(bridge.call('system.health', {})).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
    fake.ipcRenderer.respond = () => ({ ok: 'yes' });
    await expect(bridge.call('system.health', {})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('signals ready once on the first subscription and hands listeners only the event message', async () => {
    const { fake, bridge } = await loadPreload();
    expect(fake.ipcRenderer.sentToMain).toEqual([]);
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = bridge.onEvent(first);
    bridge.onEvent(second);
    expect(fake.ipcRenderer.sentToMain).toEqual([{ channel: IPC_SUBSCRIBE_CHANNEL, args: [] }]);

    fake.ipcRenderer.fakePush(IPC_EVENT_CHANNEL, { type: 'event', event: 'system.health', payload: { n: 1 } });
    expect(first).toHaveBeenCalledWith({ type: 'event', event: 'system.health', payload: { n: 1 } });
    // The IPC event (whose `sender` is ipcRenderer) must never reach the page.
    expect(first.mock.calls[0]).toHaveLength(1);

    stopFirst();
    fake.ipcRenderer.fakePush(IPC_EVENT_CHANNEL, { type: 'event', event: 'system.health', payload: { n: 2 } });
    fake.ipcRenderer.fakePush(IPC_EVENT_CHANNEL, { type: 'bogus' });
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('keeps delivering when one listener throws', async () => {
    const { fake, bridge } = await loadPreload();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const after = vi.fn();
    bridge.onEvent(() => {
      throw new Error('listener bug');
    });
    bridge.onEvent(after);
    fake.ipcRenderer.fakePush(IPC_EVENT_CHANNEL, { type: 'event', event: 'system.health', payload: null });
    expect(after).toHaveBeenCalledTimes(1);
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });
});
