import type { CallResult } from '../../../shared/contract/wire';
import { Listeners } from '../api/listeners';
import type { CallContext, ConnectionState, EventMessage, Transport } from '../api/transport';
import type { ApiCaller } from '../store/types';

export interface RecordedCall {
  readonly method: string;
  readonly input: unknown;
  readonly context: CallContext;
}

/** An in-memory transport: answers come from `handler`, events and connection changes are pushed by the test. */
export class FakeTransport implements Transport {
  readonly kind = 'http' as const;
  readonly calls: RecordedCall[] = [];
  readonly subscriptionSets: string[][] = [];
  connection: ConnectionState = 'connected';
  private readonly events = new Listeners<EventMessage>();
  private readonly states = new Listeners<ConnectionState>();

  constructor(private readonly handler: (method: string, input: unknown) => CallResult = () => ({ ok: true, result: {} })) {}

  call(method: string, input: unknown, context: CallContext): Promise<CallResult> {
    this.calls.push({ method, input, context });
    return Promise.resolve(this.handler(method, input));
  }

  onEvent(listener: (message: EventMessage) => void): () => void {
    return this.events.add(listener);
  }

  setSubscriptions(events: readonly string[]): void {
    this.subscriptionSets.push([...events]);
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    return this.states.add(listener);
  }

  close(): void {}

  push(event: string, payload: unknown): void {
    this.events.emit({ type: 'event', event, payload });
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
    this.states.emit(state);
  }
}

/** A Map-backed StateStorage for the persisted preferences. */
export function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

/** A client whose answers the test decides per call (an Error answer is thrown); `calls` records method and input. */
export function scripted(answer: (method: string, input: unknown) => unknown | Promise<unknown>) {
  const calls: { method: string; input: unknown }[] = [];
  const client: ApiCaller = {
    call: async (method, input) => {
      calls.push({ method, input });
      const result = await answer(method, input);
      if (result instanceof Error) throw result;
      return result as never;
    },
  };
  return { client, calls };
}
