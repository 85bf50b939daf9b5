import type { CallResult, ServerSocketMessage } from './wire';

/**
 * What the preload exposes as `window.sluice` in the desktop app. It is deliberately tiny and
 * untyped at the edge (method names are strings, payloads unknown): the typed client in the
 * renderer is derived from the contract and validates every result, and main validates every call.
 */
export interface SluiceBridge {
  /**
   * Calls a contract method; never rejects, failures come back as `{ ok: false, error }`.
   * `tenantId` is the tenant the console has selected (the IPC twin of the HTTP tenant header).
   */
  call(method: string, input: unknown, options?: { tenantId?: number | null }): Promise<CallResult>;
  /** Receives every pushed event; returns the unsubscribe function. */
  onEvent(listener: (message: Extract<ServerSocketMessage, { type: 'event' }>) => void): () => void;
  /** Platform facts the UI may show (never secrets). */
  readonly platform: { readonly os: string; readonly desktop: true };
}

export const BRIDGE_GLOBAL = 'sluice';
