import {
  events as eventDefs,
  methods as methodDefs,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';
import type { CallResult } from '../../../shared/contract/wire';

import { Listeners } from './listeners';
import type { ConnectionState, EventMessage, Transport } from './transport';

/** The typed console client: every name, input, result and payload comes from the contract. */
export interface SluiceClient {
  /** Calls a method; resolves with the validated result or rejects with an `ApiError`. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Listens to a push event; payloads that fail the contract are dropped. Returns the disposer. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  readonly connection: ConnectionState;
  /** Tenant sent with every following call (HTTP header); `null` for none. */
  setTenant(tenantId: number | null): void;
  /** Plugs in the transport; calls and subscriptions made before this are queued and replayed. */
  attach(transport: Transport): void;
  readonly transportKind: Transport['kind'] | null;
}

interface QueuedCall {
  readonly method: MethodName;
  readonly input: unknown;
  readonly resolve: (result: CallResult) => void;
}

export function createClient(): SluiceClient {
  let transport: Transport | null = null;
  let tenantId: number | null = null;
  let connection: ConnectionState = 'connecting';
  const queue: QueuedCall[] = [];
  const listeners = new Map<string, Listeners<unknown>>();
  const connectionListeners = new Listeners<ConnectionState>();

  const send = (method: MethodName, input: unknown): Promise<CallResult> => {
    if (transport) return transport.call(method, input, { tenantId });
    // Calls before the transport exists wait instead of failing: screens mount before startup ends.
    return new Promise((resolve) => queue.push({ method, input, resolve }));
  };

  const dispatch = (message: EventMessage): void => {
    const set = listeners.get(message.event);
    if (!set || !Object.prototype.hasOwnProperty.call(eventDefs, message.event)) return;
    const parsed = eventDefs[message.event as EventName].payload.safeParse(message.payload);
    if (!parsed.success) {
      console.warn(`Dropped a ${message.event} event whose payload does not match the contract.`, parsed.error.issues);
      return;
    }
    set.emit(parsed.data);
  };

  const setConnection = (state: ConnectionState): void => {
    if (state === connection) return;
    connection = state;
    connectionListeners.emit(state);
  };

  return {
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const def = methodDefs[method];
      const checked = def.input.safeParse(input);
      if (!checked.success) throw ApiError.fromZod(`${method} input`, checked.error);

      const result = await send(method, input);
      if (!result.ok) throw ApiError.fromBody(result.error);
      const output = def.output.safeParse(result.result);
      if (!output.success) {
        const first = output.error.issues[0];
        const where = first ? ` (${first.path.map(String).join('.') || '(root)'}: ${first.message})` : '';
        throw new ApiError(
          'internal',
          `The answer to ${method} does not match the contract${where}; the console and engine versions may differ, reload the console.`,
        );
      }
      return output.data as MethodOutput<M>;
    },

    subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      const isNew = !set;
      if (!set) {
        set = new Listeners<unknown>();
        listeners.set(event, set);
      }
      const remove = set.add(listener as (payload: unknown) => void);
      if (isNew) transport?.setSubscriptions([...listeners.keys()]);
      return remove;
    },

    onConnection: (listener) => connectionListeners.add(listener),
    get connection() {
      return connection;
    },
    get transportKind() {
      return transport?.kind ?? null;
    },

    setTenant(id) {
      tenantId = id;
    },

    attach(next) {
      if (transport) throw new Error('The Sluice client already has a transport; create a new client instead.');
      transport = next;
      next.onEvent(dispatch);
      next.onConnection(setConnection);
      setConnection(next.connection);
      if (listeners.size > 0) next.setSubscriptions([...listeners.keys()]);
      for (const queued of queue.splice(0)) void next.call(queued.method, queued.input, { tenantId }).then(queued.resolve);
    },
  };
}
