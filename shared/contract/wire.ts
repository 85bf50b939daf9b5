import { z } from 'zod';

import { ApiErrorBody } from './errors';

/**
 * Wire formats of the two transports. Both carry the same contract:
 * - Electron IPC: one invoke channel per call (`sluice:call:<method>`), one push channel for events.
 * - Headless HTTP: `POST /api/v1/call/<method>` with the input as JSON body; events over the
 *   WebSocket at `/api/v1/events`.
 */
export const IPC_CALL_PREFIX = 'sluice:call:';
export const IPC_EVENT_CHANNEL = 'sluice:event';
export const IPC_SUBSCRIBE_CHANNEL = 'sluice:subscribe';

export const HTTP_CALL_PREFIX = '/api/v1/call/';
export const WS_EVENTS_PATH = '/api/v1/events';
/** Cookie set by `GET /auth?token=…` so the browser console never keeps the token in storage. */
export const SESSION_COOKIE = 'sluice_session';
/** Custom header every browser call sends; a cross-site form cannot set it (CSRF guard). */
export const CLIENT_HEADER = 'x-sluice-client';
/** Tenant the caller acts for, on calls that are tenant-scoped. */
export const TENANT_HEADER = 'x-sluice-tenant';

export const CallResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorBody }),
]);
export type CallResult = z.infer<typeof CallResult>;

/** Messages the console sends on the events socket. */
export const ClientSocketMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), events: z.array(z.string()).max(100) }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientSocketMessage = z.infer<typeof ClientSocketMessage>;

/** Messages the engine pushes on the events socket and the IPC event channel. */
export const ServerSocketMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), error: ApiErrorBody }),
]);
export type ServerSocketMessage = z.infer<typeof ServerSocketMessage>;

/**
 * What the preload sends on `sluice:call:<method>`: the method input plus the tenant the console
 * has selected (the IPC twin of the HTTP tenant header). The method name is the channel, never a
 * field, so a payload cannot pick another handler.
 */
export const IpcCallEnvelope = z
  .object({
    input: z.unknown(),
    tenantId: z.number().int().positive().nullable(),
  })
  .strict();
export type IpcCallEnvelope = z.infer<typeof IpcCallEnvelope>;
