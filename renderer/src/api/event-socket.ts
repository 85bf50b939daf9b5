import { ServerSocketMessage, type ClientSocketMessage } from '../../../shared/contract/wire';

import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff';
import { Listeners } from './listeners';
import type { ConnectionState, EventMessage } from './transport';

/** The slice of the browser WebSocket the console uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const browserTimers: Timers = {
  set: (callback, ms) => globalThis.setTimeout(callback, ms),
  clear: (handle) => globalThis.clearTimeout(handle as number),
};

export interface EventSocketOptions {
  readonly url: string;
  readonly createSocket: SocketFactory;
  readonly timers?: Timers;
  readonly backoff?: BackoffOptions;
  readonly random?: () => number;
  /**
   * A half-open TCP connection (laptop sleep, dropped VPN) can look open for minutes; a ping that
   * gets no answer within `timeoutMs` makes us drop the socket and reconnect.
   */
  readonly heartbeat?: { readonly intervalMs: number; readonly timeoutMs: number };
}

const OPEN = 1;

/**
 * The events WebSocket with reconnect. After each open it re-sends the whole subscription set,
 * because a new server-side socket knows nothing about the previous one.
 */
export class EventSocket {
  private socket: SocketLike | null = null;
  private generation = 0;
  private attempt = 0;
  private stopped = true;
  private reconnectTimer: unknown = null;
  private pingTimer: unknown = null;
  private pongTimer: unknown = null;
  private subscriptions: readonly string[] = [];
  private current: ConnectionState = 'connecting';
  private readonly timers: Timers;
  private readonly events = new Listeners<EventMessage>();
  private readonly states = new Listeners<ConnectionState>();

  constructor(private readonly options: EventSocketOptions) {
    this.timers = options.timers ?? browserTimers;
  }

  get state(): ConnectionState {
    return this.current;
  }

  onEvent(listener: (message: EventMessage) => void): () => void {
    return this.events.add(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    return this.states.add(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.setState('connecting');
    this.open();
  }

  /** Closes for good (until `start`); `finalState` is what the header shows meanwhile. */
  stop(finalState: ConnectionState = 'reconnecting'): void {
    this.stopped = true;
    this.clearTimers();
    this.dropSocket();
    this.setState(finalState);
  }

  setSubscriptions(events: readonly string[]): void {
    this.subscriptions = [...new Set(events)];
    this.sendSubscriptions();
  }

  private open(): void {
    const generation = ++this.generation;
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(this.options.url);
    } catch {
      this.handleClose(generation);
      return;
    }
    this.socket = socket;
    // Handlers check the generation so a late callback from a dropped socket changes nothing.
    socket.onopen = () => {
      if (generation !== this.generation) return;
      this.attempt = 0;
      this.setState('connected');
      this.sendSubscriptions();
      this.schedulePing();
    };
    socket.onmessage = (event) => {
      if (generation === this.generation) this.handleMessage(event.data);
    };
    socket.onclose = () => this.handleClose(generation);
    socket.onerror = () => undefined; // a close event always follows
  }

  private handleMessage(data: unknown): void {
    this.timers.clear(this.pongTimer); // any traffic proves the line is alive
    this.pongTimer = null;
    let json: unknown;
    try {
      json = typeof data === 'string' ? JSON.parse(data) : undefined;
    } catch {
      json = undefined;
    }
    const parsed = ServerSocketMessage.safeParse(json);
    if (!parsed.success) {
      console.warn('Ignored a message on the events socket that is not a Sluice server message.');
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') this.events.emit(message);
    else if (message.type === 'error') {
      console.warn(`The events socket reported: ${message.error.message}`);
      if (message.error.code === 'unauthorized') this.stop('unauthorized');
    }
  }

  private handleClose(generation: number): void {
    if (generation !== this.generation || this.stopped) return;
    this.clearTimers();
    this.dropSocket();
    this.setState('reconnecting');
    const delay = backoffDelay(this.attempt++, this.options.backoff ?? defaultBackoff, this.options.random);
    this.reconnectTimer = this.timers.set(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private sendSubscriptions(): void {
    if (this.subscriptions.length === 0) return;
    this.send({ type: 'subscribe', events: [...this.subscriptions] });
  }

  private send(message: ClientSocketMessage): void {
    const socket = this.socket;
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message));
  }

  private schedulePing(): void {
    const heartbeat = this.options.heartbeat;
    if (!heartbeat) return;
    const generation = this.generation;
    this.pingTimer = this.timers.set(() => {
      if (generation !== this.generation) return;
      this.send({ type: 'ping' });
      this.pongTimer = this.timers.set(() => this.handleClose(generation), heartbeat.timeoutMs);
      this.schedulePing();
    }, heartbeat.intervalMs);
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.generation++;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close();
    } catch {
      // already closed
    }
  }

  private clearTimers(): void {
    for (const handle of [this.reconnectTimer, this.pingTimer, this.pongTimer]) if (handle !== null) this.timers.clear(handle);
    this.reconnectTimer = this.pingTimer = this.pongTimer = null;
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.states.emit(state);
  }
}
