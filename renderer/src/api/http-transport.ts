import { WS_EVENTS_PATH } from '../../../shared/contract/wire';

import type { BackoffOptions } from './backoff';
import { EventSocket, type SocketFactory, type Timers } from './event-socket';
import { callOverHttp, type FetchLike } from './http-call';
import type { Transport } from './transport';

export interface HttpTransportOptions {
  readonly fetch: FetchLike;
  readonly createSocket: SocketFactory;
  /** Where the console was loaded from; events go to the same host. */
  readonly location: { readonly protocol: string; readonly host: string };
  readonly timers?: Timers;
  readonly backoff?: BackoffOptions;
  readonly random?: () => number;
  readonly heartbeat?: { readonly intervalMs: number; readonly timeoutMs: number };
}

/** `ws://host/api/v1/events`, or `wss://` when the console itself came over https. */
export function eventsUrl(location: { readonly protocol: string; readonly host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_EVENTS_PATH}`;
}

/**
 * Transport for the console served by `sluice serve`: calls over HTTP, events over one
 * reconnecting WebSocket. A 401 on any call parks the socket in `unauthorized` (retrying cannot
 * help until the user opens the access link); a later successful call wakes it up again.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const socket = new EventSocket({
    url: eventsUrl(options.location),
    createSocket: options.createSocket,
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.heartbeat ? { heartbeat: options.heartbeat } : {}),
  });
  socket.start();

  return {
    kind: 'http',
    get connection() {
      return socket.state;
    },
    async call(method, input, context) {
      const result = await callOverHttp(options.fetch, method, input, context);
      if (!result.ok && result.error.code === 'unauthorized') socket.stop('unauthorized');
      else if (result.ok && socket.state === 'unauthorized') socket.start();
      return result;
    },
    onEvent: (listener) => socket.onEvent(listener),
    setSubscriptions: (events) => socket.setSubscriptions(events),
    onConnection: (listener) => socket.onState(listener),
    close: () => socket.stop('reconnecting'),
  };
}
