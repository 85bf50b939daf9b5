import type { Redis } from 'ioredis';

import { PROGRESS_CHANNEL, type ProgressBus, type ProgressListener } from './progress';
import { ProgressEvent } from './progress-schema';
import { ensureConnected } from './redis';

export interface RedisProgressBusOptions {
  /** A `commands` client for PUBLISH (not owned). */
  readonly publisher: Redis;
  /** Makes a fresh `subscriber` client: a subscribed connection can do nothing else. */
  readonly subscriber: () => Redis;
  /** Same prefix as the clients' keyPrefix: ioredis does not prefix channels, so this does. */
  readonly keyPrefix?: string;
  /** A received message that is not a valid event (another version, a bug); it is dropped. */
  readonly onInvalid?: (reason: string) => void;
}

/**
 * Progress over Redis pub/sub: fire-and-forget fan-out to every console on every host. Missed events
 * while a console is disconnected are not replayed; the next event carries full counters, so the
 * console catches up (events are snapshots, not deltas, for exactly this reason).
 */
export class RedisProgressBus implements ProgressBus {
  private readonly channel: string;

  constructor(private readonly options: RedisProgressBusOptions) {
    this.channel = `${options.keyPrefix ?? ''}${PROGRESS_CHANNEL}`;
  }

  async publish(event: ProgressEvent): Promise<void> {
    const body = JSON.stringify(ProgressEvent.parse(event));
    await ensureConnected(this.options.publisher);
    await this.options.publisher.publish(this.channel, body);
  }

  async subscribe(listener: ProgressListener): Promise<() => Promise<void>> {
    const client = this.options.subscriber();
    client.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      let json: unknown;
      try {
        json = JSON.parse(message);
      } catch {
        this.options.onInvalid?.('progress message is not JSON');
        return;
      }
      const parsed = ProgressEvent.safeParse(json);
      if (parsed.success) listener(parsed.data);
      else this.options.onInvalid?.(`progress message does not match the schema: ${parsed.error.message}`);
    });
    await ensureConnected(client);
    await client.subscribe(this.channel);
    return async () => {
      await client.quit().catch(() => client.disconnect());
    };
  }
}
