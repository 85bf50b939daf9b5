import pg from 'pg';
import { z } from 'zod';

import { Stage } from '../../shared/worker-protocol/protocol';
import { stageMessageSchemas } from '../../shared/queue/messages';
import type { Publisher } from '../queue/publisher';

/**
 * Relays the queue outbox (migration 0007) to RabbitMQ. The engine writes outbox rows in the same
 * transaction as the state change that needs them (a run started, resumed, re-transformed) and
 * NOTIFYs `sluice_outbox`; every extract worker thread runs one relay, which wakes on the
 * notification (and polls, in case one was missed while reconnecting), claims a batch with
 * `FOR UPDATE SKIP LOCKED` so relays on many hosts share the work, publishes it with confirms, and
 * deletes the rows in the same transaction. A crash before the commit leaves the rows for the next
 * claim: a message may be published twice, never lost (consumers are idempotent).
 */

export interface OutboxRelayOptions {
  readonly databaseUrl: string;
  readonly publisher: Publisher;
  /** Rows per claim (default 500). */
  readonly batchSize?: number;
  /** Poll interval when no notification arrives (default 2 s). */
  readonly pollMs?: number;
  readonly onError?: (error: Error) => void;
}

const OutboxRow = z.object({ id: z.coerce.number(), stage: Stage, message: z.unknown(), message_id: z.string() });

export class OutboxRelay {
  private readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private relayed = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1, allowExitOnIdle: true, connectionTimeoutMillis: 10_000 });
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  /** Messages published so far (for tests and stats). */
  get count(): number {
    return this.relayed;
  }

  start(): void {
    void this.listen();
    this.kick();
    const poll = (): void => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(poll, this.options.pollMs ?? 2_000);
      this.timer.unref();
    };
    this.timer = setTimeout(poll, this.options.pollMs ?? 2_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  /** Drains the outbox now (coalesced: a kick while draining drains once more after). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (!this.stopped && (await this.relayBatch()) > 0) {
            // keep going while there is a backlog
          }
        } while (this.again && !this.stopped);
      } catch (error) {
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.running = null;
      }
    })();
  }

  private async listen(): Promise<void> {
    while (!this.stopped) {
      const client = new pg.Client({ connectionString: this.options.databaseUrl });
      const ended = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      try {
        await client.connect();
        client.on('notification', () => this.kick());
        await client.query('LISTEN sluice_outbox');
        this.listener = client;
        this.kick(); // rows written while we were not listening
        await ended;
      } catch {
        // Postgres away: poll covers it until the next attempt
      }
      this.listener = null;
      await client.end().catch(() => undefined);
      if (!this.stopped) await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  private async relayBatch(): Promise<number> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const res = await client.query(
        `DELETE FROM queue_outbox WHERE id IN (SELECT id FROM queue_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, stage, message, message_id`,
        [this.options.batchSize ?? 500],
      );
      const rows = res.rows.map((r: unknown) => OutboxRow.parse(r));
      await Promise.all(
        rows.map((row) => {
          const message = stageMessageSchemas[row.stage].safeParse(row.message);
          // A row that is not a valid message would fail forever: drop it loudly instead of blocking the outbox.
          if (!message.success) {
            this.options.onError?.(new Error(`Outbox row ${row.id} is not a valid ${row.stage} message and was dropped: ${message.error.issues[0]?.message ?? 'invalid'}`));
            return Promise.resolve();
          }
          return this.options.publisher.publishStage(row.stage, message.data as never, { messageId: row.message_id });
        }),
      );
      await client.query('COMMIT');
      this.relayed += rows.length;
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
