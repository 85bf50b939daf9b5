import { randomUUID } from 'node:crypto';

import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';

import { HEADER, MESSAGE_VERSION, stageMessageSchemas, type MessageOf } from '../../shared/queue/messages';
import type { Stage } from '../../shared/queue/topology';
import type { QueueConnection } from './connection';

/**
 * Publishing with publisher confirms. A publish resolves only when the broker has taken
 * responsibility for the message (persistent, routed to a durable queue); it rejects otherwise.
 *
 * On connection loss, publishes that were sent but not yet confirmed **fail** with
 * `PublishNotConfirmedError`; they are not retried here. The caller decides, because only it knows
 * whether a duplicate is acceptable and what to roll back: the consumer, for instance, then leaves
 * the original unacked so the broker redelivers it. (A confirmed-or-failed contract is also what
 * makes "publish the retry, then ack the original" safe.) Publishes issued while disconnected, or
 * whose channel closed before the message was written, wait for the reconnect and are sent then, up
 * to `connectTimeoutMs`; past it they fail with `PublishNotConfirmedError` saying it was never sent.
 * So a publish either resolves (confirmed) or rejects with `PublishNotConfirmedError`.
 *
 * Back-pressure: when amqplib's write buffer is full (`publish` returns false) further publishes wait
 * for the channel's `drain` event instead of growing memory without bound.
 */

export class PublishNotConfirmedError extends Error {
  override readonly name = 'PublishNotConfirmedError';
  constructor(
    readonly messageId: string,
    detail: string,
  ) {
    super(`Message ${messageId} was not confirmed by RabbitMQ (${detail}); it may not have been delivered, so publish it again (consumers are idempotent).`);
  }
}

export interface PublisherOptions {
  /** How long a publish waits for a connection while RabbitMQ is away. */
  readonly connectTimeoutMs?: number;
  /** How long to wait for the broker's confirm of one message. */
  readonly confirmTimeoutMs?: number;
}

export interface PublishOptions {
  /** Defaults to a new UUID. Keep it across retries of the same unit. */
  readonly messageId?: string;
  /** Extra headers (merged over the standard ones). */
  readonly headers?: Record<string, unknown>;
}

export class Publisher {
  private channel: Promise<ConfirmChannel> | null = null;
  private channelOf: ChannelModel | null = null;
  private openedChannel: ConfirmChannel | null = null;
  private drained: Promise<void> | null = null;
  private readonly connectTimeoutMs: number;
  private readonly confirmTimeoutMs: number;
  private closed = false;

  constructor(
    private readonly connection: QueueConnection,
    options: PublisherOptions = {},
  ) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 30_000;
  }

  /**
   * Validates `message` against its stage schema and publishes it to the stage (persistent, JSON,
   * with a message id). Resolves with the message id once confirmed. An invalid message throws
   * before anything is sent: we never put a message on a queue that its consumer would reject.
   */
  async publishStage<S extends Stage>(stage: S, message: MessageOf<S>, options: PublishOptions = {}): Promise<string> {
    const parsed = stageMessageSchemas[stage].safeParse(message);
    if (!parsed.success) {
      throw new Error(`Refusing to publish an invalid ${stage} message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
    }
    const messageId = options.messageId ?? randomUUID();
    await this.publishRaw(this.connection.topology.exchanges.stages.name, stage, Buffer.from(JSON.stringify(parsed.data)), {
      messageId,
      headers: { ...standardHeaders(), ...options.headers },
    });
    return messageId;
  }

  /**
   * Publishes bytes to an exchange and waits for the confirm. For the queue runtime (retries,
   * dead letters, requeues); stage code uses `publishStage`.
   */
  async publishRaw(exchange: string, routingKey: string, body: Buffer, properties: Options.Publish & { messageId: string }): Promise<void> {
    if (this.closed) throw new Error('This publisher is closed; create a new one.');
    const { messageId } = properties;
    const deadline = Date.now() + this.connectTimeoutMs;
    // A message that never left this process can be sent again without any risk of a duplicate, so
    // a channel that dies before the send (the connection dropping under us) is retried on the next
    // connection until the deadline. Only a message that was sent and then not confirmed fails.
    for (;;) {
      while (this.drained) await this.drained;
      let channel: ConfirmChannel;
      try {
        channel = await this.openChannel(Math.max(1, deadline - Date.now()));
      } catch (error) {
        if (this.closed) throw new Error('This publisher is closed; create a new one.');
        if (this.connection.state === 'closed' || Date.now() >= deadline) throw new PublishNotConfirmedError(messageId, `not sent: ${describe(error)}`);
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const sent = await this.sendAndConfirm(channel, exchange, routingKey, body, properties);
      if (sent === 'not-sent') {
        if (Date.now() >= deadline) throw new PublishNotConfirmedError(messageId, 'not sent: the channel kept closing');
        continue;
      }
      return;
    }
  }

  /** Resolves 'confirmed', resolves 'not-sent' when the channel refused the write, rejects once sent but unconfirmed. */
  private sendAndConfirm(channel: ConfirmChannel, exchange: string, routingKey: string, body: Buffer, properties: Options.Publish & { messageId: string }): Promise<'confirmed' | 'not-sent'> {
    const { messageId } = properties;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new PublishNotConfirmedError(messageId, `no confirm within ${this.confirmTimeoutMs} ms`)), this.confirmTimeoutMs);
      const settle = (err: unknown): void => {
        clearTimeout(timer);
        if (err) reject(err instanceof PublishNotConfirmedError ? err : new PublishNotConfirmedError(messageId, describe(err)));
        else resolve('confirmed');
      };
      let ok: boolean;
      try {
        ok = channel.publish(exchange, routingKey, body, { persistent: true, contentType: 'application/json', ...properties, mandatory: false }, settle);
      } catch {
        // amqplib throws synchronously on a closed channel: nothing was written.
        clearTimeout(timer);
        this.forget(channel);
        resolve('not-sent');
        return;
      }
      if (!ok && !this.drained) {
        // The message is buffered (its confirm will still come); hold back the next ones until drain.
        this.drained = new Promise<void>((done) => {
          const release = (): void => {
            channel.off('drain', release);
            channel.off('close', release);
            this.drained = null;
            done();
          };
          channel.on('drain', release);
          channel.on('close', release);
        });
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const channel = this.channel;
    this.channel = null;
    if (channel) await (await channel.catch(() => null))?.close().catch(() => undefined);
  }

  /** Drops a dead channel from the cache so the next publish opens a fresh one. */
  private forget(channel: ConfirmChannel): void {
    if (this.openedChannel === channel) {
      this.openedChannel = null;
      this.channel = null;
    }
  }

  /** The confirm channel of the live connection, opened on first use after each (re)connect. */
  private async openChannel(timeoutMs: number): Promise<ConfirmChannel> {
    const model = await this.connection.whenConnected(timeoutMs);
    if (this.channel && this.channelOf === model) return this.channel;
    this.channelOf = model;
    const opening = model.createConfirmChannel().then((ch) => {
      ch.on('error', () => undefined); // a channel error also closes it; pending confirms then fail
      ch.on('close', () => {
        if (this.channel === opening) this.channel = null;
      });
      this.openedChannel = ch;
      return ch;
    });
    this.channel = opening;
    opening.catch(() => {
      if (this.channel === opening) this.channel = null;
    });
    return opening;
  }
}

/** Headers every Sluice message starts with (see `MessageHeaders`). */
export const standardHeaders = (): Record<string, unknown> => ({
  [HEADER.version]: MESSAGE_VERSION,
  [HEADER.publishedAt]: new Date().toISOString(),
});

const describe = (err: unknown): string => {
  if (err instanceof Error) return err.message;
  if (err === null || err === undefined) return 'negative acknowledgement';
  return String(err);
};
