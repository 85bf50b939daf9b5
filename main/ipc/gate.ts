import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import type pino from 'pino';

import { MAX_REQUEST_BYTES, methodNames } from '../../shared/contract/api';
import { ApiError, type ApiErrorBody } from '../../shared/contract/errors';
import type { Role } from '../../shared/contract/roles';
import { IPC_CALL_PREFIX, IPC_SUBSCRIBE_CHANNEL, type CallResult } from '../../shared/contract/wire';
import type { AppOrigin } from '../app/origin';
import type { WindowRegistry } from '../app/window';
import type { EngineApi } from '../engine/types';
import { IpcCallEnvelope } from '../../shared/contract/wire';
import { EventFanout } from './event-fanout';
import { measurePayload } from './payload';
import { untrustedSenderReason } from './sender';

export interface IpcGateOptions {
  readonly engine: EngineApi;
  readonly windows: WindowRegistry;
  readonly origin: AppOrigin;
  readonly logger: pino.Logger;
  /**
   * Who the desktop user is for the engine, read at every call (switching profiles can change it).
   * Default: `desktop`, admin of its own profile.
   */
  readonly session?: () => DesktopSession;
}

/** The desktop user as the engine sees it: decided in main, never by the page. */
export interface DesktopSession {
  readonly principal: string;
  readonly role: Role;
}

const DEFAULT_SESSION: DesktopSession = { principal: 'desktop', role: 'admin' };

export interface IpcGate {
  /** Removes every handler and the engine subscription (tests, or an engine swap). */
  dispose(): void;
}

/** Shown instead of an internal error's own message, which may name tables, hosts or paths. */
export const INTERNAL_ERROR_MESSAGE = 'Sluice hit an unexpected error; the details are in the log.';

const refuse = (code: ApiErrorBody['code'], message: string): CallResult => ({ ok: false, error: { code, message } });

/**
 * The only code touching `ipcMain`. One invoke channel per contract method; every call is checked
 * for sender, size and envelope shape before the engine sees it, and always resolves to a
 * `CallResult` (a rejected invoke would carry the error's text, and stack, into the renderer).
 */
export const setupIpcGate = ({ engine, windows, origin, logger, session = () => DEFAULT_SESSION }: IpcGateOptions): IpcGate => {
  const log = logger.child({ component: 'ipc-gate' });
  const fanout = new EventFanout(windows, log);

  const handleCall = async (method: string, event: IpcMainInvokeEvent, args: unknown[]): Promise<CallResult> => {
    const untrusted = untrustedSenderReason(event, windows, origin);
    if (untrusted) {
      log.warn({ method, reason: untrusted, webContentsId: event.sender.id }, 'refused an IPC call');
      return refuse('forbidden', 'This call came from a page Sluice did not load, so it was refused.');
    }
    // Exactly one argument: extra ones would be ignored, which hides a client bug.
    if (args.length !== 1) return refuse('bad_request', `An IPC call takes one argument, got ${args.length}; call it through the Sluice bridge.`);
    const raw = args[0];

    const size = measurePayload(raw, MAX_REQUEST_BYTES);
    if (!size.ok) {
      log.warn({ method, reason: size.reason }, 'refused an IPC call payload');
      return size.reason === 'too_large'
        ? refuse('payload_too_large', `The request is larger than ${MAX_REQUEST_BYTES} bytes; send less data per call.`)
        : refuse('bad_request', 'The request must be plain JSON data (no cycles, binary values or nesting deeper than 64 levels).');
    }

    const envelope = IpcCallEnvelope.safeParse(raw);
    if (!envelope.success) return { ok: false, error: ApiError.fromZod('IPC call envelope', envelope.error).toBody() };

    const started = performance.now();
    const { principal, role } = session();
    try {
      const result = await engine.call(method, envelope.data.input, {
        transport: 'ipc',
        tenantId: envelope.data.tenantId,
        principal,
        role,
      });
      log.debug({ method, durationMs: Math.round(performance.now() - started) }, 'ipc call done');
      return { ok: true, result };
    } catch (error) {
      return toFailure(method, error, log);
    }
  };

  for (const method of methodNames) {
    const channel = IPC_CALL_PREFIX + method;
    // A second registration throws in Electron (e.g. after a macOS window reopen): replace instead.
    ipcMain.removeHandler(channel);
    ipcMain.handle(channel, (event, ...args: unknown[]) => handleCall(method, event, args));
  }

  const onReady = (event: IpcMainEvent): void => {
    const untrusted = untrustedSenderReason(event, windows, origin);
    if (untrusted) {
      log.warn({ reason: untrusted, webContentsId: event.sender.id }, 'refused an event subscription');
      return;
    }
    fanout.markReady(event.sender);
  };
  ipcMain.removeAllListeners(IPC_SUBSCRIBE_CHANNEL);
  ipcMain.on(IPC_SUBSCRIBE_CHANNEL, onReady);

  const unsubscribe = engine.subscribe((name, payload) => fanout.publish({ type: 'event', event: name, payload }));

  return {
    dispose() {
      unsubscribe();
      ipcMain.removeListener(IPC_SUBSCRIBE_CHANNEL, onReady);
      for (const method of methodNames) ipcMain.removeHandler(IPC_CALL_PREFIX + method);
    },
  };
};

const toFailure = (method: string, error: unknown, log: pino.Logger): CallResult => {
  if (error instanceof ApiError && error.code !== 'internal') {
    log.info({ method, code: error.code }, 'ipc call refused by the engine');
    return { ok: false, error: error.toBody() };
  }
  // Internal and unknown errors (driver failures, bugs) keep their message and stack in the log only.
  log.error({ method, err: error }, 'ipc call failed with an unexpected error');
  return refuse('internal', INTERNAL_ERROR_MESSAGE);
};
