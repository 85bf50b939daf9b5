import { beforeEach, describe, expect, it, vi } from 'vitest';

import { silentLogger } from '../engine/logger';
import { asElectron, type BrowserWindow, FakeWebContents, resetFakeElectron } from '../testing/fake-electron';
import { resolveAppOrigin } from './origin';
import { createMainWindow, createWindowRegistry } from './window';

vi.mock('electron', () => import('../testing/fake-electron'));

const fileOrigin = resolveAppOrigin({ devUrl: undefined, packaged: false });

beforeEach(() => resetFakeElectron());

const open = (origin = fileOrigin) => {
  const windows = createWindowRegistry();
  const window = asElectron<BrowserWindow>(createMainWindow({ preloadPath: '/opt/sluice/out/preload/index.cjs', origin, windows, logger: silentLogger() }));
  return { window, windows };
};

describe('createMainWindow', () => {
  it('creates the window with the secure webPreferences and the CJS preload', () => {
    const { window } = open();
    // Exactly these: nothing else (enableBlinkFeatures, nodeIntegration overrides…) may creep in.
    expect(window.options['webPreferences']).toEqual({
      preload: '/opt/sluice/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
    });
  });

  it('loads the built renderer through sluice://app and stays hidden until ready-to-show', () => {
    const { window } = open();
    expect(window.webContents.getURL()).toBe('sluice://app/index.html');
    expect(window.options['show']).toBe(false);
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('loads the dev server URL in development', () => {
    const { window } = open(resolveAppOrigin({ devUrl: 'http://127.0.0.1:5173/', packaged: false }));
    expect(window.webContents.getURL()).toBe('http://127.0.0.1:5173/');
  });

  it('registers the window until it closes', () => {
    const { window, windows } = open();
    const contents = window.webContents;
    expect(windows.fromWebContents(asElectron(contents))).toBe(window);
    expect(windows.fromWebContents(asElectron(new FakeWebContents()))).toBeUndefined();
    expect(windows.first()).toBe(window);
    window.close();
    expect(windows.fromWebContents(asElectron(contents))).toBeUndefined();
    expect(windows.all()).toEqual([]);
  });
});
