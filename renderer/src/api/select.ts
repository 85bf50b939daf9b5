import { BRIDGE_GLOBAL, type SluiceBridge } from '../../../shared/contract/bridge';

import { createDesktopTransport } from './desktop-transport';
import type { SocketLike } from './event-socket';
import { createHttpTransport } from './http-transport';
import type { Transport } from './transport';

function isBridge(value: unknown): value is SluiceBridge {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof SluiceBridge, unknown>>;
  return typeof candidate.call === 'function' && typeof candidate.onEvent === 'function';
}

/**
 * Picks the transport once at startup: the preload bridge inside Electron, HTTP + WebSocket when
 * the page came from `sluice serve`, and `null` on file:// without a bridge (a broken preload),
 * which the app reports instead of pretending to connect.
 */
export function selectTransport(win: Window): Transport | null {
  const bridge: unknown = Reflect.get(win, BRIDGE_GLOBAL);
  if (isBridge(bridge)) return createDesktopTransport(bridge);
  const { protocol } = win.location;
  if (protocol !== 'http:' && protocol !== 'https:') return null;
  return createHttpTransport({
    fetch: (url, init) => win.fetch(url, init),
    createSocket: browserSocket,
    location: win.location,
    heartbeat: { intervalMs: 25_000, timeoutMs: 10_000 },
  });
}

/** Adapts the DOM WebSocket (whose handlers are typed with `this`) to the small interface we test against. */
function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const adapter: SocketLike = {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  ws.onopen = (event) => adapter.onopen?.(event);
  ws.onmessage = (event) => adapter.onmessage?.({ data: event.data });
  ws.onclose = (event) => adapter.onclose?.(event);
  ws.onerror = (event) => adapter.onerror?.(event);
  return adapter;
}
