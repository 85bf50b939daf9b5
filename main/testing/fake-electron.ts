// Over 300 lines on purpose: one fake of the one `electron` module, which vi.mock swaps in whole;
// split, every test would have to assemble the module from parts and could miss one.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

/**
 * A hand-written stand-in for the parts of `electron` the shell uses, because the Electron binary
 * cannot run here (same idea as electron/fiddle tests/mocks/electron.ts). Tests swap it in with
 *
 *   vi.mock('electron', () => import('../testing/fake-electron'));
 *
 * and drive it through the `fake*` helpers. Module bindings stay the same objects for the whole
 * file, so `resetFakeElectron()` clears state in place instead of replacing objects.
 */

let nextId = 1;

/** What a listener receives as its first argument; `preventDefault` is recorded. */
export class FakeEvent<P extends object = object> {
  defaultPrevented = false;
  constructor(params?: P) {
    Object.assign(this, params);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebFrameMain {
  readonly routingId = nextId++;
  readonly processId: number;
  constructor(
    public url: string,
    readonly parent: FakeWebFrameMain | null = null,
  ) {
    this.processId = parent ? parent.processId : nextId++;
  }
  get top(): FakeWebFrameMain {
    return this.parent ? this.parent.top : this;
  }
}

export interface SentMessage {
  channel: string;
  args: unknown[];
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame = new FakeWebFrameMain('about:blank');
  readonly sent: SentMessage[] = [];
  windowOpenHandler: WindowOpenHandler | null = null;
  private destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    // Real Electron structured-clones the arguments; cloning here catches non-cloneable payloads.
    this.sent.push({ channel, args: structuredClone(args) });
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  loadURL(url: string): Promise<void> {
    this.mainFrame.url = url;
    return Promise.resolve();
  }
  loadFile(path: string): Promise<void> {
    this.mainFrame.url = new URL(`file://${path.startsWith('/') ? '' : '/'}${path.replace(/\\/g, '/')}`).href;
    return Promise.resolve();
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  /** A child frame of the main frame, e.g. an iframe an attacker injected. */
  createSubframe(url: string): FakeWebFrameMain {
    return new FakeWebFrameMain(url, this.mainFrame);
  }
  /** Emits `will-navigate` (or another navigation event) as Chromium would; returns the event. */
  fireNavigation(name: 'will-navigate' | 'will-redirect' | 'did-start-navigation', url: string, isMainFrame = true): FakeEvent {
    const event = new FakeEvent({ url, isMainFrame, isSameDocument: false, frame: this.mainFrame });
    this.emit(name, event, url, false, isMainFrame);
    return event;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    const o = options as { x?: number; y?: number; width?: number; height?: number };
    this.bounds = { x: o.x ?? 0, y: o.y ?? 0, width: o.width ?? 800, height: o.height ?? 600 };
    BrowserWindow.instances.push(this);
    // Electron announces every new webContents on `app`; security hardening hooks in there.
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  static fromWebContents(contents: unknown): BrowserWindow | null {
    return BrowserWindow.instances.find((w) => w.webContents === contents && !w.destroyed) ?? null;
  }
  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.instances.find((w) => w.focused && !w.destroyed) ?? null;
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  loadFile(path: string): Promise<void> {
    return this.webContents.loadFile(path);
  }
  title = '';
  bounds = { x: 0, y: 0, width: 800, height: 600 };
  maximized = false;
  fullScreen = false;
  getBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<{ x: number; y: number; width: number; height: number }>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('resize');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  show(): void {
    this.visible = true;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  getTitle(): string {
    return this.title;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.emit('closed');
    this.webContents.destroy();
  }
}

/** The sender of a fake IPC message: a webContents and the frame inside it that sent it. */
export interface FakeSender {
  webContents: FakeWebContents;
  frame?: FakeWebFrameMain | null;
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    // Electron throws on a second registration; the gate must remove first.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Test helper: `ipcRenderer.invoke` as if sent from `sender`; rejects like Electron when unhandled. */
  async fakeInvoke(channel: string, sender: FakeSender, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(ipcEvent(sender), ...structuredClone(args));
  }
  /** Test helper: `ipcRenderer.send` as if sent from `sender`. */
  fakeSend(channel: string, sender: FakeSender, ...args: unknown[]): void {
    this.emit(channel, ipcEvent(sender), ...args);
  }
  reset(): void {
    this.handlers.clear();
    this.removeAllListeners();
  }
}

const ipcEvent = (sender: FakeSender) => {
  const frame = sender.frame === undefined ? sender.webContents.mainFrame : sender.frame;
  return {
    sender: sender.webContents,
    senderFrame: frame,
    processId: frame?.processId ?? 0,
    frameId: frame?.routingId ?? 0,
  };
};

class FakeIpcRenderer extends EventEmitter {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  readonly sentToMain: SentMessage[] = [];
  /** What `invoke` answers; tests replace it. */
  respond: (channel: string, ...args: unknown[]) => unknown = () => ({ ok: true, result: null });

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    try {
      return Promise.resolve(this.respond(channel, ...args));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  send(channel: string, ...args: unknown[]): void {
    this.sentToMain.push({ channel, args });
  }
  /** Test helper: main pushes a message to this renderer. */
  fakePush(channel: string, ...args: unknown[]): void {
    this.emit(channel, { sender: this }, ...args);
  }
  reset(): void {
    this.invoked.length = 0;
    this.sentToMain.length = 0;
    this.respond = () => ({ ok: true, result: null });
    this.removeAllListeners();
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  lockAvailable = true;
  quitCalls = 0;
  /** True once a quit was not prevented by a `before-quit` listener. */
  quitted = false;

  requestSingleInstanceLock(): boolean {
    return this.lockAvailable;
  }
  /** Set by `whenReady()`, as `app.isReady()` becomes true in Electron. */
  ready = false;
  whenReady(): Promise<void> {
    this.ready = true;
    return Promise.resolve();
  }
  isReady(): boolean {
    return this.ready;
  }
  getAppPath(): string {
    return '/opt/sluice';
  }
  /** app.getPath('userData') & co.; tests may point them at a temp folder. */
  readonly paths: Record<string, string> = { userData: '/tmp/sluice-fake-user-data', downloads: '/tmp/sluice-fake-downloads', logs: '/tmp/sluice-fake-user-data/logs', crashDumps: '/tmp/sluice-fake-user-data/crashes' };
  getPath(name: string): string {
    const path = this.paths[name];
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  badgeCount = 0;
  setBadgeCount(count: number): boolean {
    this.badgeCount = count;
    return true;
  }
  getVersion(): string {
    return '0.1.0';
  }
  quit(): void {
    this.quitCalls += 1;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  }
  reset(): void {
    this.isPackaged = false;
    this.ready = false;
    this.badgeCount = 0;
    this.lockAvailable = true;
    this.quitCalls = 0;
    this.quitted = false;
    this.removeAllListeners();
  }
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> }) => void,
) => void;
type PermissionRequestHandler = (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (webContents: unknown, permission: string, origin: string, details: unknown) => boolean;

/** A download the page started (session `will-download`). */
export class FakeDownloadItem {
  saveDialogOptions: { defaultPath: string; filters?: unknown } | null = null;
  constructor(
    readonly url: string,
    readonly filename: string,
  ) {}
  getURL(): string {
    return this.url;
  }
  getFilename(): string {
    return this.filename;
  }
  setSaveDialogOptions(options: { defaultPath: string; filters?: unknown }): void {
    this.saveDialogOptions = options;
  }
}

class FakeSession extends EventEmitter {
  headersListener: HeadersListener | null = null;
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener | null): void => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
  /** Test helper: the page asks to download `item`; returns the event (was it cancelled?). */
  fakeDownload(item: FakeDownloadItem, contents: FakeWebContents): FakeEvent {
    const event = new FakeEvent();
    this.emit('will-download', event, item, contents);
    return event;
  }
  reset(): void {
    this.removeAllListeners();
    this.headersListener = null;
    this.permissionRequestHandler = null;
    this.permissionCheckHandler = null;
  }
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const session = { defaultSession: new FakeSession() };

export const contextBridge = {
  exposed: {} as Record<string, unknown>,
  exposeInMainWorld(key: string, api: unknown): void {
    if (key in this.exposed) throw new Error(`Cannot bind an API on top of an existing property '${key}'`);
    this.exposed[key] = api;
  },
};

export const shell = {
  opened: [] as string[],
  openedPaths: [] as string[],
  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  },
  openPath(path: string): Promise<string> {
    this.openedPaths.push(path);
    return Promise.resolve('');
  },
};

export const dialog = {
  errorBoxes: [] as { title: string; content: string }[],
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  },
  /** What the next open dialog answers (tests set it); every call's options are recorded. */
  nextOpen: { canceled: true, filePaths: [] as string[] },
  openDialogs: [] as unknown[],
  showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.openDialogs.push(args.at(-1));
    return Promise.resolve(this.nextOpen);
  },
};

/** Native notifications: every one shown is recorded; `supported` mimics `Notification.isSupported()`. */
export class Notification extends EventEmitter {
  static supported = true;
  static readonly shown: Notification[] = [];
  static isSupported(): boolean {
    return Notification.supported;
  }
  constructor(readonly options: { title: string; body: string; urgency?: string; silent?: boolean }) {
    super();
  }
  show(): void {
    Notification.shown.push(this);
  }
}

/**
 * Electron safeStorage: real AES-GCM under a key of this fake "keychain", so a value sealed by one
 * keychain (`safeStorage.rotateKeychain()` = another user or machine) does not open in another.
 */
class FakeSafeStorage {
  available = true;
  backend: 'basic_text' | 'gnome_libsecret' | 'kwallet5' | 'unknown' = 'gnome_libsecret';
  private key = randomBytes(32);
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }
  decryptString(sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
  }
  /** Test helper: a different keychain from now on. */
  rotateKeychain(): void {
    this.key = randomBytes(32);
  }
  reset(): void {
    this.available = true;
    this.backend = 'gnome_libsecret';
    this.key = randomBytes(32);
  }
}

export const safeStorage = new FakeSafeStorage();

export interface FakeMenuItem {
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: FakeMenuItem[];
}

/** Menu: keeps the template it was built from, so tests read labels and accelerators. */
export class Menu {
  static application: Menu | null = null;
  constructor(readonly items: FakeMenuItem[]) {}
  static buildFromTemplate(template: FakeMenuItem[]): Menu {
    return new Menu(template);
  }
  static setApplicationMenu(menu: Menu | null): void {
    Menu.application = menu;
  }
  /** Test helper: the item at a path of labels or roles, e.g. ['View', 'Reload']. */
  find(...path: string[]): FakeMenuItem | undefined {
    let items: FakeMenuItem[] | undefined = this.items;
    let found: FakeMenuItem | undefined;
    for (const key of path) {
      found = items?.find((i) => i.label === key || i.role === key);
      items = found?.submenu;
    }
    return found;
  }
}

export const nativeImage = {
  createFromPath: (path: string) => ({ path, isEmpty: () => false, resize: () => ({ path }) }),
};

export class Tray extends EventEmitter {
  static readonly instances: Tray[] = [];
  tooltip = '';
  menu: Menu | null = null;
  destroyed = false;
  constructor(readonly image: unknown) {
    super();
    Tray.instances.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: Menu | null): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

interface FakeDisplay {
  id: number;
  workArea: { x: number; y: number; width: number; height: number };
}
export const screen = {
  displays: [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] as FakeDisplay[],
  getAllDisplays(): FakeDisplay[] {
    return this.displays;
  },
  getPrimaryDisplay(): FakeDisplay {
    return this.displays[0]!;
  },
};

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/**
 * Electron `protocol`: privileged schemes may only be registered before ready (Electron throws a
 * warning and ignores them after), so the fake throws to make a wrong order fail the test.
 */
class FakeProtocol {
  privileged: { scheme: string; privileges?: Record<string, boolean> }[] = [];
  readonly handlers = new Map<string, ProtocolHandler>();
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    if (app.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    if (this.handlers.has(scheme)) throw new Error(`The scheme has been registered: ${scheme}`);
    this.handlers.set(scheme, handler);
  }
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }
  /** Test helper: the page requests `url`, as Chromium would hand it to the handler. */
  async fakeRequest(url: string, method = 'GET'): Promise<Response> {
    const scheme = url.slice(0, url.indexOf(':'));
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`No handler for scheme '${scheme}'`);
    return handler(new Request(url, { method }));
  }
  reset(): void {
    this.privileged = [];
    this.handlers.clear();
  }
}

export const protocol = new FakeProtocol();

export const crashReporter = {
  started: null as null | Record<string, unknown>,
  start(options: Record<string, unknown>): void {
    this.started = options;
  },
};

/** Clears every recorded call and handler; call it in `beforeEach`. */
export const resetFakeElectron = (): void => {
  app.reset();
  ipcMain.reset();
  ipcRenderer.reset();
  session.defaultSession.reset();
  BrowserWindow.instances.length = 0;
  for (const key of Object.keys(contextBridge.exposed)) delete contextBridge.exposed[key];
  shell.opened.length = 0;
  dialog.errorBoxes.length = 0;
  dialog.openDialogs.length = 0;
  dialog.nextOpen = { canceled: true, filePaths: [] };
  Notification.shown.length = 0;
  Notification.supported = true;
  safeStorage.reset();
  Menu.application = null;
  Tray.instances.length = 0;
  screen.displays = [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  crashReporter.started = null;
  shell.openedPaths.length = 0;
  protocol.reset();
};

/** Casts a fake to the Electron type the code under test expects (tests only). */
export const asElectron = <T>(fake: unknown): T => fake as T;
