import type pg from 'pg';

import type { Connector, IntegrationInfo } from './connector';

/**
 * The mappings snapshot of a run (`runs.mappings`): taken by the first unit that needs it, then read
 * by every other unit on every host, so one run is transformed with one set of mappings even while an
 * operator edits them (the edit takes effect on the next run, or on a re-transform). Cached per thread.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

const MAX_CACHED_RUNS = 64;

export class RunMappings {
  private readonly cache = new Map<number, unknown>();

  async forRun(db: Queryable, runId: number, connector: Connector, integration: IntegrationInfo): Promise<unknown> {
    if (!connector.loadMappings) return undefined;
    if (this.cache.has(runId)) return this.cache.get(runId);
    const current = await db.query<{ mappings: unknown }>('SELECT mappings FROM runs WHERE id = $1', [runId]);
    let mappings: unknown = current.rows[0]?.mappings ?? null;
    if (mappings === null) {
      const loaded = await connector.loadMappings(db, integration);
      // Whoever writes first wins; everyone then uses the stored one.
      const stored = await db.query<{ mappings: unknown }>(
        `UPDATE runs SET mappings = coalesce(mappings, $2::jsonb) WHERE id = $1 RETURNING mappings`,
        [runId, JSON.stringify(loaded ?? null)],
      );
      mappings = stored.rows[0]?.mappings ?? loaded;
    }
    if (this.cache.size >= MAX_CACHED_RUNS) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(runId, mappings);
    return mappings;
  }
}
