import type pg from 'pg';

import type { VectorStore } from './qdrant';

/**
 * Deletes the points of deleted entities. Deleting a work item or a PR (directly, or through its
 * integration) marks its bridge row deleted in the same transaction (triggers in migration 0013); every
 * vectorize thread sweeps those tombstones now and then: claims a batch (`FOR UPDATE SKIP LOCKED`, so
 * threads on every host share the work), deletes the points in Qdrant, then the rows, and commits. If
 * Qdrant is away the transaction rolls back and the next sweep tries again: a tombstone is only
 * removed once its point is gone. Runs across tenants (the worker role is not subject to RLS).
 */
export interface SweeperOptions {
  readonly pool: pg.Pool;
  readonly store: VectorStore;
  readonly intervalMs: number;
  readonly batchSize?: number;
  readonly onError?: (error: Error) => void;
}

export class Sweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(private readonly options: SweeperOptions) {}

  start(): void {
    const tick = (): void => {
      if (this.stopped) return;
      void this.sweep()
        .catch((error: unknown) => this.options.onError?.(error instanceof Error ? error : new Error(String(error))))
        .finally(() => {
          if (this.stopped) return;
          this.timer = setTimeout(tick, this.options.intervalMs);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Sweeps until no tombstone is left (or one batch fails); returns how many points were deleted. */
  sweep(): Promise<number> {
    this.running ??= (async () => {
      let total = 0;
      try {
        for (let n = await this.batch(); n > 0; n = await this.batch()) total += n;
      } finally {
        this.running = null;
      }
      return total;
    })();
    return this.running;
  }

  private async batch(): Promise<number> {
    const client = await this.options.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; collection: string; point_id: string }>(
        'SELECT id, collection, point_id FROM qdrant_vectors WHERE deleted_at IS NOT NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [this.options.batchSize ?? 500],
      );
      const byCollection = new Map<string, number[]>();
      for (const r of rows) byCollection.set(r.collection, [...(byCollection.get(r.collection) ?? []), Number(r.point_id)]);
      for (const [collection, ids] of byCollection) await this.options.store.deletePoints(collection, ids);
      if (rows.length > 0) await client.query('DELETE FROM qdrant_vectors WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      await client.query('COMMIT');
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
