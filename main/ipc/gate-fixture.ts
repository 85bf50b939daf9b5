import pino from 'pino';

import type { EventName, EventPayload } from '../../shared/contract/api';
import { resolveAppOrigin } from '../app/origin';
import { createWindowRegistry } from '../app/window';
import type { CallContext, EngineApi, EventListener } from '../engine/types';
import { asElectron, BrowserWindow, type FakeSender } from '../testing/fake-electron';
import { setupIpcGate } from './gate';

/**
 * Test harness for the IPC gate (imported by tests only): a fake engine, a captured log, and
 * windows that load the built renderer. Tests must `vi.mock('electron', ...)` with the fake first.
 */
export const APP_URL = 'sluice://app/index.html';
export const ORIGIN = resolveAppOrigin({ devUrl: undefined, packaged: false });

export class FakeEngine implements EngineApi {
  readonly calls: { method: string; input: unknown; ctx: CallContext }[] = [];
  private readonly listeners = new Set<EventListener>();
  /** What `call` does; tests replace it to throw or answer. */
  impl: (method: string, input: unknown) => Promise<unknown> = (method, input) => Promise.resolve({ echoed: { method, input } });

  call(method: string, rawInput: unknown, ctx: CallContext): Promise<unknown> {
    this.calls.push({ method, input: rawInput, ctx });
    return this.impl(method, rawInput);
  }
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  get subscriberCount(): number {
    return this.listeners.size;
  }
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}

/** A pino logger whose JSON lines land in `lines`, to assert what was (not) logged. */
export const captureLogger = () => {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
};

export const startGate = () => {
  const windows = createWindowRegistry();
  const engine = new FakeEngine();
  const { logger, lines } = captureLogger();
  const gate = setupIpcGate({ engine, windows, origin: ORIGIN, logger });
  /** A window we created, showing our renderer. */
  const openWindow = (url = APP_URL): BrowserWindow => {
    const window = new BrowserWindow();
    windows.track(asElectron(window));
    void window.loadURL(url);
    return window;
  };
  const senderOf = (window: BrowserWindow): FakeSender => ({ webContents: window.webContents });
  return { windows, engine, gate, logs: lines, openWindow, senderOf };
};
