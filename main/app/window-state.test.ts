import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { asElectron, BrowserWindow, resetFakeElectron, screen } from '../testing/fake-electron';
import { DEFAULT_SIZE, loadWindowState, trackWindowState } from './window-state';

vi.mock('electron', () => import('../testing/fake-electron'));

beforeEach(() => resetFakeElectron());
const dir = () => mkdtempSync(join(tmpdir(), 'sluice-ws-'));

describe('window state', () => {
  it('opens with the default size the first time, and with the saved state after a close', () => {
    const userData = dir();
    expect(loadWindowState(userData)).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
    const window = new BrowserWindow({ x: 40, y: 30, width: 1000, height: 700 });
    trackWindowState(asElectron(window), userData);
    window.setBounds({ x: 200, y: 120, width: 1100, height: 760 });
    window.emit('close');
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toEqual({ bounds: { x: 200, y: 120, width: 1100, height: 760 }, maximized: false });
    expect(loadWindowState(userData)).toEqual({ bounds: { x: 200, y: 120, width: 1100, height: 760 }, maximized: false });
  });

  it('saves after moves and resizes, debounced, and remembers maximized', async () => {
    vi.useFakeTimers();
    try {
      const userData = dir();
      const window = new BrowserWindow({ x: 0, y: 0, width: 900, height: 600 });
      trackWindowState(asElectron(window), userData, 500);
      window.setBounds({ width: 950 });
      window.setBounds({ width: 990 });
      await vi.advanceTimersByTimeAsync(499);
      expect(() => readFileSync(join(userData, 'window-state.json'))).toThrow(/ENOENT/);
      await vi.advanceTimersByTimeAsync(2);
      expect(loadWindowState(userData).bounds.width).toBe(990);
      window.maximize();
      await vi.advanceTimersByTimeAsync(600);
      expect(loadWindowState(userData).maximized).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never opens off-screen: a position on a display that is gone is dropped, the size kept within the screen', () => {
    const userData = dir();
    screen.displays = [
      { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } },
      { id: 2, workArea: { x: 1920, y: 0, width: 2560, height: 1440 } },
    ];
    const window = new BrowserWindow({ x: 2200, y: 100, width: 2400, height: 1300 });
    trackWindowState(asElectron(window), userData);
    window.emit('close');
    expect(loadWindowState(userData).bounds).toEqual({ x: 2200, y: 100, width: 2400, height: 1300 });
    screen.displays = [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
    expect(loadWindowState(userData)).toEqual({ bounds: { width: 1920, height: 1080 }, maximized: false });
  });

  it('ignores a damaged file or one with absurd values', () => {
    const userData = dir();
    for (const text of ['{not json', JSON.stringify({ bounds: { x: 0, y: 0, width: 5, height: 5 }, maximized: false }), JSON.stringify({ bounds: 'big' })]) {
      writeFileSync(join(userData, 'window-state.json'), text);
      expect(loadWindowState(userData), text).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
    }
  });
});
