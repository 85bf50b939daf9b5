import { beforeEach, describe, expect, it, vi } from 'vitest';

import { app, asElectron, BrowserWindow, resetFakeElectron } from '../testing/fake-electron';
import { setupSingleInstance } from './single-instance';

vi.mock('electron', () => import('../testing/fake-electron'));

beforeEach(() => resetFakeElectron());

describe('setupSingleInstance', () => {
  it('quits when another instance holds the lock', () => {
    app.lockAvailable = false;
    expect(setupSingleInstance(() => undefined)).toBe(false);
    expect(app.quitCalls).toBe(1);
  });

  it('keeps running with the lock and focuses the existing window on a second launch', () => {
    const window = new BrowserWindow();
    window.minimized = true;
    expect(setupSingleInstance(() => asElectron(window))).toBe(true);
    expect(app.quitCalls).toBe(0);
    app.emit('second-instance', {}, [], '/');
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(true);
  });
});
