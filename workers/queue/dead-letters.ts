import type { Channel, GetMessage } from 'amqplib';

import { type DeadLetterEnvelope } from '../../shared/queue/messages';
import type { QueueConnection } from './connection';
import { originalBody, readDeadLetter } from './envelope';
import { standardHeaders, type Publisher } from './publisher';

/**
 * The dead-letter queue as a list the console can show and act on.
 *
 * How we read without losing anything: `basic.get` **without ack** on a private channel, hold every
 * message we fetched (so the next `get` returns the next one), then close the channel: the broker
 * puts back everything not acked. If this process dies mid-scan the broker does the same, so a scan
 * can never drop a dead letter. (The management API's "get, requeue" does the same server-side, but
 * needs the HTTP API and credentials; AMQP is what workers already have.)
 * Requeue and discard use the same scan and ack only the selected ones; requeue first republishes
 * the original to its stage with confirms, then acks (a crash in between duplicates, never loses).
 *
 * Limits: messages held by a concurrent scan are invisible to this one for that moment, and the
 * order after a scan is approximately, not strictly, the original order.
 */

export interface DeadLetterList {
  /** Ready messages in the queue when the scan started. */
  readonly total: number;
  readonly items: DeadLetterEnvelope[];
}

export interface DeadLetterActionResult {
  readonly requeued: number;
  readonly discarded: number;
  /** Ids asked for that were not in the queue (already handled elsewhere). */
  readonly notFound: string[];
  /** Ids that could not be requeued because their stage is unknown. */
  readonly skipped: string[];
}

type Selection = readonly string[] | 'all';

/** A scan never fetches more than this many messages (bounds memory and broker-held messages). */
const MAX_SCAN = 10_000;

export class DeadLetters {
  constructor(
    private readonly connection: QueueConnection,
    private readonly publisher: Publisher,
  ) {}

  /**
   * Ready messages in the dead-letter queue. Messages a scan just put back are counted again once the
   * quorum queue has applied the return (usually within milliseconds), so right after `list` it can lag.
   */
  async count(): Promise<number> {
    return this.withChannel(async (channel) => (await channel.checkQueue(this.queue)).messageCount);
  }

  /** Up to `limit` dead letters from the head of the queue, left in the queue. */
  async list(options: { limit?: number } = {}): Promise<DeadLetterList> {
    const limit = Math.min(options.limit ?? 100, MAX_SCAN);
    return this.withChannel(async (channel) => {
      const total = (await channel.checkQueue(this.queue)).messageCount;
      const items: DeadLetterEnvelope[] = [];
      while (items.length < limit) {
        const msg = await channel.get(this.queue, { noAck: false });
        if (!msg) break;
        items.push(readDeadLetter(msg, this.connection.topology));
      }
      return { total, items }; // closing the channel returns them all
    });
  }

  /**
   * Sends the selected dead letters back to their stage queue with `attempt` reset to 1 and the
   * failure headers dropped, then removes them from the dead-letter queue.
   */
  async requeue(ids: Selection): Promise<DeadLetterActionResult> {
    return this.act(ids, async (channel, msg, env) => {
      if (!env.stage) return false;
      const topology = this.connection.topology;
      await this.publisher.publishRaw(topology.exchanges.stages.name, env.stage, resetAttempt(originalBody(env)), {
        messageId: env.original.messageId ?? env.id,
        headers: standardHeaders(), // fresh: the failure headers of the old attempts do not apply
      });
      channel.ack(msg);
      return true;
    }, 'requeued');
  }

  /** Removes the selected dead letters for good. */
  async discard(ids: Selection): Promise<DeadLetterActionResult> {
    return this.act(ids, async (channel, msg) => {
      channel.ack(msg);
      return true;
    }, 'discarded');
  }

  private get queue(): string {
    return this.connection.topology.deadLetterQueue;
  }

  private async act(
    ids: Selection,
    apply: (channel: Channel, msg: GetMessage, env: DeadLetterEnvelope) => Promise<boolean>,
    kind: 'requeued' | 'discarded',
  ): Promise<DeadLetterActionResult> {
    const wanted = ids === 'all' ? null : new Set(ids);
    return this.withChannel(async (channel) => {
      const seen = new Set<string>();
      const skipped: string[] = [];
      let done = 0;
      // Every fetched message stays held by this channel, so `get` runs dry after one pass.
      for (let scanned = 0; scanned < MAX_SCAN; scanned += 1) {
        if (wanted && [...wanted].every((id) => seen.has(id))) break;
        const msg = await channel.get(this.queue, { noAck: false });
        if (!msg) break;
        const env = readDeadLetter(msg, this.connection.topology);
        if (wanted && !wanted.has(env.id)) continue; // held, returned on close
        seen.add(env.id);
        if (await apply(channel, msg, env)) done += 1;
        else skipped.push(env.id);
      }
      const notFound = wanted ? [...wanted].filter((id) => !seen.has(id)) : [];
      return { requeued: kind === 'requeued' ? done : 0, discarded: kind === 'discarded' ? done : 0, notFound, skipped };
    });
  }

  private async withChannel<T>(fn: (channel: Channel) => Promise<T>): Promise<T> {
    const model = await this.connection.whenConnected(30_000);
    const channel = await model.createChannel();
    channel.on('error', () => undefined); // the failing call rejects with the same error
    try {
      return await fn(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}

/** Stage messages restart their retry budget; anything else (an invalid body) goes back as it was. */
const resetAttempt = (body: Buffer): Buffer => {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value) && 'attempt' in value) {
      return Buffer.from(JSON.stringify({ ...value, attempt: 1 }));
    }
  } catch {
    // not JSON: requeue unchanged; it will be dead-lettered again unless the consumer now accepts it
  }
  return body;
};
