import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';

import { HEADER, MessageHeaders, stageMessageSchemas, type DeadLetterReason, type MessageOf } from '../../shared/queue/messages';
import type { Stage } from '../../shared/queue/topology';
import type { QueueConnection } from './connection';
import { buildDeadLetter } from './envelope';
import { isInfrastructureOutage, PermanentError, toError } from './errors';
import type { Publisher } from './publisher';

/**
 * Consumes one stage queue. The contract with the handler:
 * - the message is **acked only after the handler resolves** (the handler commits to the database
 *   first), so a crash at any point leaves it unacked and the broker redelivers it: handlers must be
 *   idempotent (they are: loads are upserts, statuses move forward only);
 * - an invalid message (not JSON, wrong schema, wrong headers) is dead-lettered at once;
 * - a thrown `PermanentError` dead-letters at once; any other error is retried via the next delay
 *   tier with `attempt + 1` until `topology.maxAttempts`, then dead-lettered; an infrastructure
 *   outage (Postgres or RabbitMQ away, `isInfrastructureOutage`) is retried with the same attempt,
 *   through ever longer tiers, for as long as it lasts;
 * - every republish (retry or dead letter) is confirmed **before** the original is acked, so the
 *   pair can duplicate a message in a crash but never lose it.
 *
 * After a connection loss the consumer resubscribes on the new connection by itself. Handlers still
 * running for the old channel finish, but their result is dropped (no ack, no retry): the broker has
 * already requeued those messages and will deliver them again.
 */

export interface HandlerContext {
  readonly stage: Stage;
  /** 1-based attempt number (the message's `attempt`). */
  readonly attempt: number;
  /** True when the broker delivered this message before (a worker died or a channel closed mid-handler). */
  readonly redelivered: boolean;
  readonly messageId: string | null;
  readonly headers: MessageHeaders;
  /** Aborted when the consumer stops and the grace period ran out: give up quickly, do not commit. */
  readonly signal: AbortSignal;
}

export type StageHandler<S extends Stage> = (message: MessageOf<S>, ctx: HandlerContext) => Promise<void>;

export interface ConsumerOptions<S extends Stage> {
  readonly stage: S;
  readonly handler: StageHandler<S>;
  /** Unacked messages the broker hands this consumer at once (concurrency of the handler). */
  readonly prefetch?: number;
  /** How long `stop()` waits for in-flight handlers before closing the channel (they are then redelivered). */
  readonly stopTimeoutMs?: number;
  /** Called for failures the counters do not explain (e.g. a republish that failed). */
  readonly onError?: (error: Error, context: string) => void;
}

export type ConsumerState = 'created' | 'active' | 'stopping' | 'stopped';

export interface ConsumerStats {
  readonly state: ConsumerState;
  /** Handled successfully and acked. */
  readonly processed: number;
  /** Handler failures (each failed attempt counts once). */
  readonly failed: number;
  /** Failed attempts sent to a delay queue for another try. */
  readonly retried: number;
  /** Messages this consumer sent to the dead-letter queue (any reason). */
  readonly deadLettered: number;
  /** Deliveries flagged redelivered by the broker. */
  readonly redelivered: number;
  readonly inFlight: number;
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

interface Subscription {
  readonly channel: Channel;
  open: boolean;
  consumerTag: string | null;
}

export class StageConsumer<S extends Stage> {
  private readonly stage: S;
  private readonly prefetch: number;
  private readonly stopTimeoutMs: number;
  private state: ConsumerState = 'created';
  private sub: Subscription | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private abort = new AbortController();
  private counters = { processed: 0, failed: 0, retried: 0, deadLettered: 0, redelivered: 0 };
  private lastError: ConsumerStats['lastError'] = null;
  private firstSubscribed: Promise<void> | null = null;

  constructor(
    private readonly connection: QueueConnection,
    private readonly publisher: Publisher,
    private readonly options: ConsumerOptions<S>,
  ) {
    this.stage = options.stage;
    this.prefetch = options.prefetch ?? 10;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
    if (!Number.isInteger(this.prefetch) || this.prefetch < 1) throw new Error('prefetch must be a positive integer.');
  }

  /** Starts consuming (now if connected, else on connect); resolves once the first subscription is live. */
  start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`This consumer was already started (state ${this.state}); create a new one.`);
    this.state = 'active';
    this.firstSubscribed = new Promise<void>((resolve) => {
      this.unsubscribe = this.connection.onConnected((model) => {
        void this.subscribe(model).then(resolve, (error: unknown) => this.report(toError(error), 'subscribe'));
      });
    });
    return this.firstSubscribed;
  }

  /**
   * Stops taking messages, waits up to `stopTimeoutMs` for running handlers, then closes the
   * channel. Unfinished messages return to the queue. Resolves with whether the wait timed out.
   */
  async stop(): Promise<{ timedOut: boolean }> {
    if (this.state === 'stopped' || this.state === 'created') {
      this.state = 'stopped';
      return { timedOut: false };
    }
    this.state = 'stopping';
    this.unsubscribe?.();
    const sub = this.sub;
    if (sub?.open && sub.consumerTag) await sub.channel.cancel(sub.consumerTag).catch(() => undefined);
    const timedOut = !(await this.waitIdle(this.stopTimeoutMs));
    if (timedOut) this.abort.abort(new Error('The consumer is stopping and the grace period ran out.'));
    if (sub?.open) {
      sub.open = false; // results of handlers still running are dropped: the broker requeues on close
      await sub.channel.close().catch(() => undefined);
    }
    this.state = 'stopped';
    return { timedOut };
  }

  stats(): ConsumerStats {
    return { state: this.state, ...this.counters, inFlight: this.inFlight.size, lastError: this.lastError };
  }

  private async subscribe(model: ChannelModel): Promise<void> {
    if (this.state !== 'active') return;
    const channel = await model.createChannel();
    const sub: Subscription = { channel, open: true, consumerTag: null };
    channel.on('error', (err: Error) => this.report(err, 'channel'));
    channel.on('close', () => {
      sub.open = false;
    });
    await channel.prefetch(this.prefetch);
    this.sub = sub;
    const reply = await channel.consume(this.connection.topology.stageQueue(this.stage), (msg) => {
      // null = the broker cancelled us (queue deleted); a reconnect or restart resubscribes.
      if (!msg) return;
      const task = this.handle(sub, msg);
      this.inFlight.add(task);
      void task.finally(() => this.inFlight.delete(task));
    });
    sub.consumerTag = reply.consumerTag;
  }

  private async handle(sub: Subscription, msg: ConsumeMessage): Promise<void> {
    if (msg.fields.redelivered) this.counters.redelivered += 1;
    const parsed = this.parse(msg);
    try {
      if (!parsed.ok) {
        await this.deadLetter(sub, msg, 'invalid_message', 0, null, parsed.issues);
        return;
      }
      const { message, headers } = parsed;
      try {
        await this.options.handler(message, {
          stage: this.stage,
          attempt: message.attempt,
          redelivered: msg.fields.redelivered,
          messageId: typeof msg.properties.messageId === 'string' ? msg.properties.messageId : null,
          headers,
          signal: this.abort.signal,
        });
      } catch (error) {
        await this.onHandlerError(sub, msg, message, headers, toError(error));
        return;
      }
      if (this.ack(sub, msg)) this.counters.processed += 1;
    } catch (error) {
      // A retry or dead-letter publish failed: leave the original with the broker (requeue it if the
      // channel still lives, else it is requeued anyway). Redelivery tries again.
      this.report(toError(error), 'republish');
      if (sub.open) sub.channel.nack(msg, false, true);
    }
  }

  private async onHandlerError(sub: Subscription, msg: ConsumeMessage, message: MessageOf<S>, headers: MessageHeaders, error: Error): Promise<void> {
    this.counters.failed += 1;
    this.lastError = { message: error.message, at: new Date().toISOString() };
    if (!sub.open) return; // channel gone: the broker redelivers it; republishing now would duplicate it
    if (error instanceof PermanentError) {
      await this.deadLetter(sub, msg, 'permanent_error', message.attempt, error);
      return;
    }
    const topology = this.connection.topology;
    const outage = isInfrastructureOutage(error);
    if (!outage && message.attempt >= topology.maxAttempts) {
      await this.deadLetter(sub, msg, 'retries_exhausted', message.attempt, error);
      return;
    }
    // An outage keeps the attempt number and climbs the tiers by its own count instead.
    const outages = outage ? (headers[HEADER.outages] ?? 0) + 1 : (headers[HEADER.outages] ?? 0);
    const delay = topology.delayFor(this.stage, outage ? Math.min(outages, topology.delayTiersMs.length) : message.attempt);
    const next = outage ? message : { ...message, attempt: message.attempt + 1 };
    await this.publisher.publishRaw(topology.exchanges.delay.name, delay.routingKey, Buffer.from(JSON.stringify(next)), {
      messageId: typeof msg.properties.messageId === 'string' ? msg.properties.messageId : `${this.stage}-${Date.now()}`,
      headers: {
        ...headers,
        [HEADER.firstFailureAt]: headers[HEADER.firstFailureAt] ?? new Date().toISOString(),
        [HEADER.lastError]: error.message.slice(0, 1000),
        ...(outages > 0 ? { [HEADER.outages]: outages } : {}),
      },
    });
    if (this.ack(sub, msg)) this.counters.retried += 1;
  }

  private async deadLetter(sub: Subscription, msg: ConsumeMessage, reason: DeadLetterReason, attempts: number, error: Error | null, issues: string[] = []): Promise<void> {
    if (!sub.open) return;
    const envelope = buildDeadLetter(msg, { reason, stage: this.stage, attempts, error, issues });
    await this.publisher.publishRaw(this.connection.topology.exchanges.dead.name, '', Buffer.from(JSON.stringify(envelope)), {
      messageId: envelope.id,
      headers: { [HEADER.version]: envelope.v, [HEADER.publishedAt]: envelope.lastFailureAt },
    });
    if (this.ack(sub, msg)) this.counters.deadLettered += 1;
  }

  /** Acks on the channel the message came from; false when that channel is gone (it will be redelivered). */
  private ack(sub: Subscription, msg: ConsumeMessage): boolean {
    if (!sub.open) return false;
    try {
      sub.channel.ack(msg);
      return true;
    } catch {
      return false;
    }
  }

  private parse(msg: ConsumeMessage): { ok: true; message: MessageOf<S>; headers: MessageHeaders } | { ok: false; issues: string[] } {
    let body: unknown;
    try {
      body = JSON.parse(msg.content.toString('utf8'));
    } catch {
      return { ok: false, issues: ['body: not valid JSON'] };
    }
    const message = stageMessageSchemas[this.stage].safeParse(body);
    const headers = MessageHeaders.safeParse(msg.properties.headers ?? {});
    const issues = [
      ...(message.success ? [] : message.error.issues.map((i) => `body.${i.path.join('.')}: ${i.message}`)),
      ...(headers.success ? [] : headers.error.issues.map((i) => `headers.${i.path.join('.')}: ${i.message}`)),
    ];
    if (!message.success || !headers.success) return { ok: false, issues };
    return { ok: true, message: message.data as MessageOf<S>, headers: headers.data };
  }

  private async waitIdle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => (timer = setTimeout(r, remaining)))]);
      clearTimeout(timer);
    }
    return true;
  }

  private report(error: Error, context: string): void {
    this.lastError = { message: `${context}: ${error.message}`, at: new Date().toISOString() };
    this.options.onError?.(error, context);
  }
}
