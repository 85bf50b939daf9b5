import { beforeEach, describe, expect, it, vi } from 'vitest';

import { silentLogger } from '../engine/logger';
import { app, resetFakeElectron } from '../testing/fake-electron';
import { setupLifecycle } from './lifecycle';
import { createWindowRegistry } from './window';

vi.mock('electron', () => import('../testing/fake-electron'));

beforeEach(() => resetFakeElectron());

const setup = (platform: NodeJS.Platform, close = () => Promise.resolve()) => {
  const engine = { close: vi.fn(close) };
  const openWindow = vi.fn();
  setupLifecycle({ engine, windows: createWindowRegistry(), openWindow, logger: silentLogger(), platform });
  return { engine, openWindow };
};

describe('setupLifecycle', () => {
  it('quits when the last window closes, except on macOS', () => {
    setup('linux');
    app.emit('window-all-closed');
    expect(app.quitCalls).toBe(1);

    resetFakeElectron();
    setup('darwin');
    app.emit('window-all-closed');
    expect(app.quitCalls).toBe(0);
  });

  it('closes the engine before the app really quits, once', async () => {
    const { engine } = setup('linux');
    app.quit();
    app.quit();
    expect(app.quitted).toBe(false);
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(engine.close).toHaveBeenCalledTimes(1);
  });

  it('still quits when the engine fails to close', async () => {
    setup('linux', () => Promise.reject(new Error('pool already ended')));
    app.quit();
    await vi.waitFor(() => expect(app.quitted).toBe(true));
  });

  it('reopens a window on activate when none is open', () => {
    const { openWindow } = setup('darwin');
    app.emit('activate');
    expect(openWindow).toHaveBeenCalledTimes(1);
  });
});
