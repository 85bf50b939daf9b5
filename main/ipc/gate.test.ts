import { beforeEach, describe, expect, it, vi } from 'vitest';

import { methodNames } from '../../shared/contract/api';
import { ApiError } from '../../shared/contract/errors';
import { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, IPC_SUBSCRIBE_CHANNEL } from '../../shared/contract/wire';
import { ipcMain, resetFakeElectron } from '../testing/fake-electron';
import { MAX_QUEUED_EVENTS } from './event-fanout';
import { INTERNAL_ERROR_MESSAGE } from './gate';
import { startGate } from './gate-fixture';

vi.mock('electron', () => import('../testing/fake-electron'));

const HEALTH = IPC_CALL_PREFIX + 'system.health';
const health = {
  services: [],
  checkedAt: '2025-01-01T00:00:00.000Z',
  engineVersion: '0.1.0',
  mode: 'desktop' as const,
};

beforeEach(() => resetFakeElectron());

describe('IPC gate: calls', () => {
  it('registers exactly one handler per contract method', () => {
    startGate();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(methodNames.map((m) => IPC_CALL_PREFIX + m).sort());
  });

  it('can be set up twice without Electron refusing the second registration', () => {
    startGate();
    expect(() => startGate()).not.toThrow();
    expect(ipcMain.handlers.size).toBe(methodNames.length);
  });

  it('passes a valid call to the engine with the desktop context and returns its result', async () => {
    const { engine, openWindow, senderOf } = startGate();
    const window = openWindow();
    const answer = await ipcMain.fakeInvoke(IPC_CALL_PREFIX + 'tenants.list', senderOf(window), {
      input: { includeInactive: false },
      tenantId: 7,
    });
    expect(engine.calls).toEqual([
      { method: 'tenants.list', input: { includeInactive: false }, ctx: { transport: 'ipc', tenantId: 7, principal: 'desktop', role: 'admin' } },
    ]);
    expect(answer).toEqual({ ok: true, result: { echoed: { method: 'tenants.list', input: { includeInactive: false } } } });
  });

  it('returns an ApiError from the engine as data with its code, message and issues', async () => {
    const { engine, openWindow, senderOf } = startGate();
    engine.impl = () => Promise.reject(new ApiError('bad_request', 'tenants.list: includeInactive: expected boolean', [{ path: 'includeInactive', message: 'expected boolean' }]));
    const answer = await ipcMain.fakeInvoke(IPC_CALL_PREFIX + 'tenants.list', senderOf(openWindow()), { input: { includeInactive: 'x' }, tenantId: null });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'bad_request',
        message: 'tenants.list: includeInactive: expected boolean',
        issues: [{ path: 'includeInactive', message: 'expected boolean' }],
      },
    });
  });

  it('hides the message and stack of an unexpected error but logs them', async () => {
    const { engine, openWindow, senderOf, logs } = startGate();
    engine.impl = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'));
    const answer = await ipcMain.fakeInvoke(HEALTH, senderOf(openWindow()), { input: {}, tenantId: null });
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } });
    expect(JSON.stringify(answer)).not.toMatch(/ECONNREFUSED|hunter2|at .*\.ts/);
    expect(logs.join('\n')).toContain('ECONNREFUSED');
  });

  it('does not pass through the message of an ApiError coded internal', async () => {
    const { engine, openWindow, senderOf } = startGate();
    engine.impl = () => Promise.reject(new ApiError('internal', 'relation "secret_table" does not exist'));
    const answer = await ipcMain.fakeInvoke(HEALTH, senderOf(openWindow()), { input: {}, tenantId: null });
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } });
  });

  it('stops answering after dispose and unsubscribes from the engine', () => {
    const { gate, engine } = startGate();
    expect(engine.subscriberCount).toBe(1);
    gate.dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(engine.subscriberCount).toBe(0);
  });
});

describe('IPC gate: push events', () => {
  const sentEvents = (window: { webContents: { sent: { channel: string; args: unknown[] }[] } }) =>
    window.webContents.sent.filter((m) => m.channel === IPC_EVENT_CHANNEL).map((m) => m.args[0]);

  it('queues events until the window signals ready, then delivers them in order', () => {
    const { engine, openWindow, senderOf } = startGate();
    const window = openWindow();
    engine.emit('system.health', { ...health, engineVersion: '1' });
    engine.emit('system.health', { ...health, engineVersion: '2' });
    expect(sentEvents(window)).toEqual([]);

    ipcMain.fakeSend(IPC_SUBSCRIBE_CHANNEL, senderOf(window));
    expect(sentEvents(window)).toEqual([
      { type: 'event', event: 'system.health', payload: { ...health, engineVersion: '1' } },
      { type: 'event', event: 'system.health', payload: { ...health, engineVersion: '2' } },
    ]);

    engine.emit('system.health', { ...health, engineVersion: '3' });
    expect(sentEvents(window)).toHaveLength(3);
  });

  it('delivers to every ready window and queues for the others separately', () => {
    const { engine, openWindow, senderOf } = startGate();
    const ready = openWindow();
    const loading = openWindow();
    ipcMain.fakeSend(IPC_SUBSCRIBE_CHANNEL, senderOf(ready));
    engine.emit('system.health', health);
    expect(sentEvents(ready)).toHaveLength(1);
    expect(sentEvents(loading)).toHaveLength(0);
    ipcMain.fakeSend(IPC_SUBSCRIBE_CHANNEL, senderOf(loading));
    expect(sentEvents(loading)).toHaveLength(1);
  });

  it('keeps only the newest events while a window is not ready', () => {
    const { engine, openWindow, senderOf } = startGate();
    const window = openWindow();
    for (let i = 0; i < MAX_QUEUED_EVENTS + 25; i += 1) engine.emit('system.health', { ...health, engineVersion: String(i) });
    ipcMain.fakeSend(IPC_SUBSCRIBE_CHANNEL, senderOf(window));
    const delivered = sentEvents(window) as { payload: { engineVersion: string } }[];
    expect(delivered).toHaveLength(MAX_QUEUED_EVENTS);
    expect(delivered[0]?.payload.engineVersion).toBe('25');
    expect(delivered.at(-1)?.payload.engineVersion).toBe(String(MAX_QUEUED_EVENTS + 24));
  });

  it('queues again after the page reloads, until the new page signals ready', () => {
    const { engine, openWindow, senderOf } = startGate();
    const window = openWindow();
    ipcMain.fakeSend(IPC_SUBSCRIBE_CHANNEL, senderOf(window));
    engine.emit('system.health', health);
    window.webContents.fireNavigation('did-start-navigation', window.webContents.getURL());
    engine.emit('system.health', { ...health, engineVersion: 'after-reload' });
    expect(sentEvents(window)).toHaveLength(1);
    ipcMain.fakeSend(IPC_SUBSCRIBE_CHANNEL, senderOf(window));
    expect(sentEvents(window)).toHaveLength(2);
  });

  it('stops sending to a closed window', () => {
    const { engine, openWindow, senderOf } = startGate();
    const window = openWindow();
    ipcMain.fakeSend(IPC_SUBSCRIBE_CHANNEL, senderOf(window));
    window.close();
    engine.emit('system.health', health);
    expect(sentEvents(window)).toHaveLength(0);
  });
});
