import type { SluiceBridge } from '../../../shared/contract/bridge';
import { CallResult } from '../../../shared/contract/wire';

import { Listeners } from './listeners';
import type { CallContext, ConnectionState, EventMessage, Transport } from './transport';

/**
 * Transport over the preload bridge (`window.sluice`). IPC is always up while the window lives, so
 * the connection is `connected` from the start. The bridge already receives every event, so the
 * subscription set is only a filter kept by the client.
 * The selected tenant travels as the bridge's `tenantId` option (the IPC twin of the HTTP header).
 */
export function createDesktopTransport(bridge: SluiceBridge): Transport {
  const events = new Listeners<EventMessage>();
  const detach = bridge.onEvent((message) => events.emit(message));

  return {
    kind: 'desktop',
    connection: 'connected',
    async call(method: string, input: unknown, context: CallContext): Promise<CallResult> {
      try {
        // The bridge is untyped at the edge; check the envelope before trusting it.
        const parsed = CallResult.safeParse(await bridge.call(method, input, { tenantId: context.tenantId }));
        if (parsed.success) return parsed.data;
        return failure('internal', `The desktop bridge returned a malformed answer to ${method}; restart Sluice.`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return failure('internal', `The desktop bridge failed on ${method} (${reason}); restart Sluice.`);
      }
    },
    onEvent: (listener) => events.add(listener),
    setSubscriptions: () => undefined,
    onConnection: (_listener: (state: ConnectionState) => void) => () => undefined,
    close: detach,
  };
}

const failure = (code: 'internal', message: string): CallResult => ({ ok: false, error: { code, message } });
