import { contextBridge, ipcRenderer } from 'electron';

import { isMethodName } from '../../shared/contract/api';
import { BRIDGE_GLOBAL, type SluiceBridge } from '../../shared/contract/bridge';
import type { ApiErrorBody } from '../../shared/contract/errors';
import { CallResult, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, IPC_SUBSCRIBE_CHANNEL, ServerSocketMessage } from '../../shared/contract/wire';

/**
 * The sandboxed preload: exposes `window.sluice` and nothing else. It imports only `electron`
 * (contextBridge, ipcRenderer) and the shared contract, and is built as CommonJS because sandboxed
 * preloads cannot load ES modules. `ipcRenderer` and IPC event objects never reach the page: their
 * `sender` would hand the page the raw IPC API.
 */

type EventMessage = Extract<ServerSocketMessage, { type: 'event' }>;
type EventListener = (message: EventMessage) => void;

/** Per-call options; the tenant travels like the HTTP `x-sluice-tenant` header. */
export interface BridgeCallOptions {
  readonly tenantId?: number | null;
}

const failure = (code: ApiErrorBody['code'], message: string): CallResult => ({ ok: false, error: { code, message } });

const call = async (method: string, input: unknown, options?: BridgeCallOptions): Promise<CallResult> => {
  // Unknown names never cross IPC: main has no handler for them and the page learns nothing new.
  if (!isMethodName(method)) return failure('not_found', `There is no Sluice method named "${String(method).slice(0, 80)}".`);
  const envelope = { input, tenantId: options?.tenantId ?? null };
  try {
    const answer: unknown = await ipcRenderer.invoke(IPC_CALL_PREFIX + method, envelope);
    const parsed = CallResult.safeParse(answer);
    return parsed.success ? parsed.data : failure('internal', 'The main process sent a malformed answer; restart Sluice.');
  } catch (error) {
    // invoke rejects only when the input cannot be cloned (functions, DOM nodes) or main is gone.
    const message = error instanceof Error ? error.message : '';
    return /clone/i.test(message)
      ? failure('bad_request', `The input of ${method} must be plain data (no functions or DOM objects).`)
      : failure('unavailable', 'The Sluice main process did not answer; restart Sluice.');
  }
};

const listeners = new Set<EventListener>();
let subscribed = false;

const onEvent = (listener: EventListener): (() => void) => {
  if (typeof listener !== 'function') throw new TypeError('onEvent needs a function.');
  listeners.add(listener);
  if (!subscribed) {
    subscribed = true;
    ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, raw: unknown) => {
      const parsed = ServerSocketMessage.safeParse(raw);
      if (!parsed.success || parsed.data.type !== 'event') return;
      const message = parsed.data;
      for (const each of [...listeners]) {
        try {
          // A fresh object per listener: one listener mutating it cannot affect the next.
          each({ type: 'event', event: message.event, payload: message.payload });
        } catch (error) {
          console.error('A Sluice event listener threw', error);
        }
      }
    });
    // Main holds pushes for this page until it hears this (see main/ipc/event-fanout.ts).
    ipcRenderer.send(IPC_SUBSCRIBE_CHANNEL);
  }
  return () => {
    listeners.delete(listener);
  };
};

const bridge: SluiceBridge = {
  call,
  onEvent,
  platform: Object.freeze({ os: process.platform, desktop: true as const }),
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
