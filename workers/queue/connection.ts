import { EventEmitter } from 'node:events';

import amqp, { type ChannelModel } from 'amqplib';

import type { Topology } from '../../shared/queue/topology';

/**
 * One AMQP connection that keeps itself up: it reconnects with exponential backoff and full jitter,
 * declares the topology on every (re)connect (idempotent: same names, same arguments), and tells
 * publishers and consumers when a fresh connection is ready so they can open new channels.
 *
 * We run our own loop rather than amqplib's `recovery` option because channels, prefetch and
 * consumers must be rebuilt in a known order after the topology is declared, and the supervisor
 * wants explicit states (`connecting → connected → reconnecting → … → closed`) with the last error.
 */

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export interface QueueConnectionOptions {
  readonly url: string;
  readonly topology: Topology;
  /** Shown in the RabbitMQ management UI (`connection_name`), e.g. `sluice-worker host-1 transform`. */
  readonly name?: string;
  readonly backoff?: Partial<BackoffOptions>;
  /** Heartbeat in seconds, unless the URL sets one. Short enough to notice a dead peer quickly. */
  readonly heartbeatSec?: number;
}

export interface StateChange {
  readonly state: ConnectionState;
  /** Reconnect attempt number since the last good connection (0 when connected). */
  readonly attempt: number;
  /** Delay before the next attempt, when reconnecting. */
  readonly delayMs: number | null;
  readonly error: Error | null;
}

/** Called with each new connection after the topology is declared. */
export type ConnectedListener = (model: ChannelModel, generation: number) => void;

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 15_000, factor: 2 };

/** Full jitter (AWS architecture blog): a random delay in [base/2, base] keeps hosts from reconnecting in lockstep. */
export const backoffDelay = (attempt: number, b: BackoffOptions, random: () => number = Math.random): number => {
  const base = Math.min(b.maxMs, b.initialMs * b.factor ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + random() * (base / 2));
};

export class QueueConnection {
  readonly name: string;
  readonly topology: Topology;
  private readonly url: string;
  private readonly backoff: BackoffOptions;
  private readonly events = new EventEmitter();
  private model: ChannelModel | null = null;
  private generation = 0;
  private currentState: ConnectionState = 'idle';
  private lastErr: Error | null = null;
  private closing = false;
  private wakeSleep: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;

  constructor(options: QueueConnectionOptions) {
    this.topology = options.topology;
    this.name = options.name ?? `sluice ${process.pid}`;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    const url = new URL(options.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(options.heartbeatSec ?? 15));
    this.url = url.toString();
    // Nobody listening to 'error' must not crash the process: errors are also in state changes.
    this.events.on('error', () => undefined);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get lastError(): Error | null {
    return this.lastErr;
  }

  /** The live connection, or null while (re)connecting. */
  get current(): ChannelModel | null {
    return this.model;
  }

  /** Starts the connect loop; resolves at the first successful connection (it keeps retrying until then). */
  async start(): Promise<void> {
    if (this.currentState === 'idle') this.loopDone = this.loop();
    await this.whenConnected();
  }

  /** Resolves with the live connection, waiting for one up to `timeoutMs`. */
  whenConnected(timeoutMs = Number.POSITIVE_INFINITY): Promise<ChannelModel> {
    if (this.model) return Promise.resolve(this.model);
    if (this.closing || this.currentState === 'closed') return Promise.reject(new Error('The RabbitMQ connection is closed; create a new one.'));
    return new Promise((resolve, reject) => {
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            cleanup();
            const cause = this.lastErr ? ` (last error: ${this.lastErr.message})` : '';
            reject(new Error(`RabbitMQ is not reachable: no connection within ${timeoutMs} ms${cause}; check RABBITMQ_URL and that the broker runs.`));
          }, timeoutMs)
        : null;
      const onConnected = (model: ChannelModel): void => {
        cleanup();
        resolve(model);
      };
      const onState = (change: StateChange): void => {
        if (change.state !== 'closed') return;
        cleanup();
        reject(new Error('The RabbitMQ connection was closed while waiting for it.'));
      };
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        this.events.off('connected', onConnected);
        this.events.off('state', onState);
      };
      this.events.on('connected', onConnected);
      this.events.on('state', onState);
    });
  }

  /** Listens for every new connection; also calls back at once if connected now. Returns an unsubscribe function. */
  onConnected(listener: ConnectedListener): () => void {
    const wrapped = (model: ChannelModel, generation: number): void => listener(model, generation);
    this.events.on('connected', wrapped);
    if (this.model) listener(this.model, this.generation);
    return () => this.events.off('connected', wrapped);
  }

  onState(listener: (change: StateChange) => void): () => void {
    this.events.on('state', listener);
    return () => this.events.off('state', listener);
  }

  /** Closes the connection and stops reconnecting. Channels owned by others close with it. */
  async close(): Promise<void> {
    if (this.currentState === 'closed') return;
    this.closing = true;
    this.wakeSleep?.();
    const model = this.model;
    if (model) await model.close().catch(() => undefined);
    await this.loopDone;
    this.setState({ state: 'closed', attempt: 0, delayMs: null, error: null });
  }

  private setState(change: StateChange): void {
    this.currentState = change.state;
    if (change.error) this.lastErr = change.error;
    this.events.emit('state', change);
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.closing) {
      this.setState({ state: attempt === 0 && this.generation === 0 ? 'connecting' : 'reconnecting', attempt, delayMs: null, error: null });
      let model: ChannelModel | null = null;
      let closed: Promise<Error | null> | null = null;
      try {
        // noDelay: small confirmed publishes otherwise wait on Nagle's algorithm; measured 18 → 38 pages/s
        // through the serial extract chain (scripts/bench-pipeline.ts, 1 thread per stage).
        model = await amqp.connect(this.url, { noDelay: true, clientProperties: { connection_name: this.name } });
        const m = model;
        // Register before anything else so a close during topology declaration is not missed.
        closed = new Promise((resolve) => m.once('close', (err?: Error) => resolve(err ?? null)));
        m.on('error', (err: Error) => this.events.emit('error', err));
        await declareTopology(m, this.topology);
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        if (model) await model.close().catch(() => undefined);
        if (this.closing) break;
        attempt += 1;
        const delayMs = backoffDelay(attempt, this.backoff);
        this.setState({ state: 'reconnecting', attempt, delayMs, error: err });
        await this.sleep(delayMs);
        continue;
      }
      if (this.closing) {
        await model.close().catch(() => undefined);
        break;
      }
      attempt = 0;
      this.generation += 1;
      this.model = model;
      this.setState({ state: 'connected', attempt: 0, delayMs: null, error: null });
      this.events.emit('connected', model, this.generation);
      const err = await closed;
      this.model = null;
      if (this.closing) break;
      // Lost it: reconnect at once the first time (a broker restart or a killed connection), back off after.
      this.setState({ state: 'reconnecting', attempt: 0, delayMs: 0, error: err ?? new Error('The RabbitMQ connection closed.') });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
  }
}

/**
 * Declares exchanges, queues and bindings. Idempotent: declaring what exists with the same arguments
 * is a no-op. A queue that exists with other arguments fails with a message saying what to do.
 */
export const declareTopology = async (model: ChannelModel, topology: Topology): Promise<void> => {
  const channel = await model.createChannel();
  channel.on('error', () => undefined); // the failing call below rejects with the same error
  try {
    for (const ex of Object.values(topology.exchanges)) {
      await channel.assertExchange(ex.name, ex.type, { durable: true });
    }
    for (const q of topology.queues) {
      try {
        await channel.assertQueue(q.name, { durable: true, arguments: { ...q.arguments } });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(
          `Queue ${q.name} exists with different settings than this version of Sluice declares (${message}); ` +
            'drain and delete it, or use a new topology version/prefix.',
        );
      }
      await channel.bindQueue(q.name, q.binding.exchange, q.binding.routingKey);
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
};
