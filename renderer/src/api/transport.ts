import type { CallResult, ServerSocketMessage } from '../../../shared/contract/wire';

/**
 * Live state of the push channel, shown in the header.
 * - `connecting`: first attempt, nothing known yet.
 * - `connected`: events flow (the desktop bridge is always connected).
 * - `reconnecting`: the socket dropped or never opened; retrying with backoff.
 * - `unauthorized`: the server refused our session; nothing retries until the user opens the access link.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

export type EventMessage = Extract<ServerSocketMessage, { type: 'event' }>;

/** Per-call context the client passes down (the transport decides how to carry it). */
export interface CallContext {
  readonly tenantId: number | null;
}

/**
 * What the typed client needs from a transport. It is untyped on purpose, like the preload bridge:
 * the client is the one place that knows the contract and validates everything crossing here.
 */
export interface Transport {
  readonly kind: 'desktop' | 'http';
  /** Never rejects: network and protocol failures come back as `{ ok: false, error }`. */
  call(method: string, input: unknown, context: CallContext): Promise<CallResult>;
  /** Every pushed event; returns the unsubscribe function. */
  onEvent(listener: (message: EventMessage) => void): () => void;
  /** The full set of event names the console wants (replaces the previous set). */
  setSubscriptions(events: readonly string[]): void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  readonly connection: ConnectionState;
  /** Stops sockets and timers (tests, page teardown). */
  close(): void;
}
