import type { EventName, EventPayload, MethodName, MethodOutput, MethodParsedInput } from '../../shared/contract/api';
import type { Role } from '../../shared/contract/roles';

interface CallerBase {
  /** The tenant the console has selected, when the call is tenant-scoped. */
  readonly tenantId: number | null;
  /** A label for logs and history ("desktop", "serve-token", a user name). */
  readonly principal: string;
}

/**
 * Who is calling and on whose behalf; built by the transport, never from the payload. Console
 * transports (IPC, HTTP) must say which role the caller has; the CLI and tests act on this machine
 * with its database credentials, so without a role they are admin (see main/engine/auth/roles.ts).
 */
export type CallContext = CallerBase &
  ({ readonly transport: 'ipc' | 'http'; readonly role: Role } | { readonly transport: 'cli' | 'test'; readonly role?: Role });

export type Handler<M extends MethodName> = (
  input: MethodParsedInput<M>,
  ctx: CallContext,
) => Promise<MethodOutput<M>>;

/** Every contract method must have exactly one handler: a missing one is a compile error. */
export type Handlers = { [M in MethodName]: Handler<M> };

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** The engine as the transports see it. */
export interface EngineApi {
  /** Validates the input against the contract, runs the handler, validates the output. Throws ApiError. */
  call(method: string, rawInput: unknown, ctx: CallContext): Promise<unknown>;
  /** Receives every push event (already validated); returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
}
