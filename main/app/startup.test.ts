import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { methodNames } from '../../shared/contract/api';
import { IPC_CALL_PREFIX } from '../../shared/contract/wire';
import { silentLogger } from '../engine/logger';
import { app, BrowserWindow, crashReporter, dialog, ipcMain, Menu, protocol, resetFakeElectron, session, Tray } from '../testing/fake-electron';
import { dispatch } from '../engine/dispatch';
import { BundleStore } from '../engine/bundles/store';
import { bundleText, unitLine } from '../engine/bundles/fixture';
import type { CallContext, Handlers } from '../engine/types';
import { startDesktop, titleFor, type DesktopEngine } from './startup';

vi.mock('electron', () => import('../testing/fake-electron'));

class FakeConfigError extends Error {}

const fakeEngine = () =>
  ({
    call: vi.fn(() => Promise.resolve({})),
    subscribe: vi.fn(() => () => undefined),
    close: vi.fn(() => Promise.resolve()),
  }) as unknown as DesktopEngine & { close: ReturnType<typeof vi.fn> };

const start = (startEngine: () => Promise<DesktopEngine>, env: NodeJS.ProcessEnv = {}) =>
  startDesktop({
    mainEntryUrl: 'file:///opt/sluice/out/main/index.js',
    env,
    logger: silentLogger(),
    startEngine,
    isConfigError: (error) => error instanceof FakeConfigError,
    processEvents: new EventEmitter(),
    bundles: new BundleStore(),
    launch: { argv: ['electron', '/opt/sluice'], cwd: '/' },
  });

beforeEach(() => {
  resetFakeElectron();
  app.paths['userData'] = mkdtempSync(join(tmpdir(), 'sluice-startup-'));
});

describe('startDesktop', () => {
  it('installs security, the IPC gate and then opens the renderer window', async () => {
    const engine = fakeEngine();
    await expect(start(() => Promise.resolve(engine))).resolves.toBe(true);
    expect(session.defaultSession.headersListener).not.toBeNull();
    expect([...ipcMain.handlers.keys()]).toEqual(methodNames.map((m) => IPC_CALL_PREFIX + m));
    // The IPC gate forwards events to windows; the run notifications listen for `notifications.run`; the tray counts running runs.
    expect(engine.subscribe).toHaveBeenCalledTimes(3);
    expect(BrowserWindow.instances).toHaveLength(1);
    const window = BrowserWindow.instances[0];
    expect(window?.webContents.getURL()).toBe('sluice://app/index.html');
    // The scheme was made privileged before ready (the fake throws otherwise) and is served.
    expect(protocol.privileged).toEqual([{ scheme: 'sluice', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(protocol.isProtocolHandled('sluice')).toBe(true);
    // Hardened by the web-contents-created hook, which must exist before the window.
    expect(window?.webContents.windowOpenHandler).not.toBeNull();
    expect(window?.options['webPreferences']).toMatchObject({ preload: '/opt/sluice/out/preload/index.cjs', sandbox: true });
  });

  it('shows a config error in a dialog and quits without opening a window', async () => {
    const result = await start(() => Promise.reject(new FakeConfigError('DATABASE_URL is not a valid postgres:// URL; fix it or unset it.')));
    expect(result).toBe(false);
    expect(dialog.errorBoxes).toEqual([{ title: 'Sluice cannot start', content: 'DATABASE_URL is not a valid postgres:// URL; fix it or unset it.' }]);
    expect(app.quitCalls).toBe(1);
    expect(BrowserWindow.instances).toHaveLength(0);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('explains any other start-up failure and quits', async () => {
    await start(() => Promise.reject(new Error('migrations are newer than this app.')));
    expect(dialog.errorBoxes[0]?.content).toBe('Sluice could not start: migrations are newer than this app. See the log for details.');
    expect(app.quitCalls).toBe(1);
  });

  it('refuses a remote dev URL before starting the engine', async () => {
    const startEngine = vi.fn(() => Promise.resolve(fakeEngine()));
    await expect(start(startEngine, { ELECTRON_RENDERER_URL: 'https://evil.example/' })).resolves.toBe(false);
    expect(startEngine).not.toHaveBeenCalled();
    expect(dialog.errorBoxes[0]?.content).toMatch(/ELECTRON_RENDERER_URL must be an http\(s\) URL on localhost/);
  });

  it('does nothing but quit when another instance holds the lock', async () => {
    app.lockAvailable = false;
    const startEngine = vi.fn(() => Promise.resolve(fakeEngine()));
    await expect(start(startEngine)).resolves.toBe(false);
    expect(startEngine).not.toHaveBeenCalled();
    expect(app.quitCalls).toBe(1);
  });

  it('opens a .sluice file named in the launch argv once the window is up, and serves the build over sluice://', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-startup-bundle-'));
    writeFileSync(join(dir, 'run.sluice'), bundleText([unitLine(1)]));
    const bundles = new BundleStore();
    await startDesktop({ mainEntryUrl: 'file:///opt/sluice/out/main/index.js', env: {}, logger: silentLogger(), startEngine: () => Promise.resolve(fakeEngine()), isConfigError: () => false, processEvents: new EventEmitter(), bundles, launch: { argv: ['/opt/Sluice/sluice', 'run.sluice'], cwd: dir } });
    await vi.waitFor(() => expect(bundles.visibleTo('desktop').map((b) => b.info.fileName)).toEqual(['run.sluice']));
    expect(BrowserWindow.instances[0]?.visible || BrowserWindow.instances[0]?.focused).toBe(true);
    // The handler is installed: a request outside the (absent) build is refused, never read.
    expect((await protocol.fakeRequest('sluice://app/../../../etc/passwd')).status).toBe(404);
  });

  it('closes the engine when the app quits', async () => {
    const engine = fakeEngine();
    await start(() => Promise.resolve(engine));
    app.quit();
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(engine.close).toHaveBeenCalledTimes(1);
  });

  it("enforces the active profile's role on every IPC call, and names the profile in the title", async () => {
    const reached: CallContext[] = [];
    const handlers = Object.fromEntries(methodNames.map((m) => [m, (_i: unknown, ctx: CallContext) => (reached.push(ctx), Promise.resolve(m === 'tenants.create' ? { id: 1, name: 'X', tier: 'premium', active: true, createdAt: '2026-01-01T00:00:00.000Z' } : { tenants: [] }))])) as unknown as Handlers;
    let role: 'viewer' | 'admin' = 'viewer';
    let changed: (profile: { name: string } | null) => void = () => undefined;
    const host: DesktopEngine = {
      call: (method, input, ctx) => dispatch(handlers, method, input, ctx),
      subscribe: () => () => undefined,
      close: () => Promise.resolve(),
      desktopSession: () => ({ principal: 'desktop (Production)', role }),
      active: () => ({ name: 'Production' }),
      onProfileChange: (listener) => ((changed = listener), () => undefined),
    };
    let userData = '';
    await startDesktop({ mainEntryUrl: 'file:///opt/sluice/out/main/index.js', env: {}, logger: silentLogger(), startEngine: (_log, dir) => ((userData = dir), Promise.resolve(host)), isConfigError: () => false, processEvents: new EventEmitter(), bundles: new BundleStore(), launch: { argv: ['electron'], cwd: '/' } });
    expect(userData).toBe(app.getPath('userData'));
    const window = BrowserWindow.instances[0]!;
    expect(window.title).toBe('Sluice — Production');
    const sender = { webContents: window.webContents };
    const create = await ipcMain.fakeInvoke(`${IPC_CALL_PREFIX}tenants.create`, sender, { input: { name: 'X' }, tenantId: null });
    expect(create).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('desktop (Production) is a viewer') } });
    expect(reached).toEqual([]);
    await expect(ipcMain.fakeInvoke(`${IPC_CALL_PREFIX}tenants.list`, sender, { input: {}, tenantId: null })).resolves.toMatchObject({ ok: true });
    expect(reached[0]).toMatchObject({ transport: 'ipc', role: 'viewer', principal: 'desktop (Production)' });
    // Switching to an admin profile: read at every call, no restart of the gate.
    role = 'admin';
    await expect(ipcMain.fakeInvoke(`${IPC_CALL_PREFIX}tenants.create`, sender, { input: { name: 'X' }, tenantId: null })).resolves.toMatchObject({ ok: true });
    changed({ name: 'Staging' });
    expect(window.title).toBe('Sluice — Staging');
    expect(titleFor(null)).toBe('Sluice');
    // The page's own <title> does not replace it.
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    window.emit('page-title-updated', event, 'Sluice');
    expect(event.defaultPrevented).toBe(true);
  });

  it('installs the menu, the tray, crash reporting and window state around the window', async () => {
    const engine = fakeEngine();
    await start(() => Promise.resolve(engine));
    expect(crashReporter.started).toMatchObject({ uploadToServer: false });
    expect(session.defaultSession.listenerCount('will-download')).toBe(1);
    expect(Menu.application?.find('View', 'reload')?.accelerator).toBe('CmdOrCtrl+R');
    expect(Tray.instances).toHaveLength(1);
    expect((Tray.instances[0]!.image as { path: string }).path).toBe('/opt/sluice/resources/tray.png');
    // The tray subscribed to the engine besides the IPC gate and the run notifications.
    expect(engine.subscribe).toHaveBeenCalledTimes(3);
    const window = BrowserWindow.instances[0]!;
    window.setBounds({ x: 300, y: 200, width: 1111, height: 777 });
    window.emit('close');
    window.close();
    // Reopened (e.g. from the tray): where it was.
    Tray.instances[0]!.emit('click');
    expect(BrowserWindow.instances[1]?.options).toMatchObject({ x: 300, y: 200, width: 1111, height: 777 });
  });
});
