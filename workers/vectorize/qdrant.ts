import { QdrantClient } from '@qdrant/js-client-rest';
import { z } from 'zod';

import type { VectorEntity } from '../../shared/vectors/entities';
import { PermanentError, RetryableError } from '../queue/errors';

/**
 * What the vectorize stage and the search task do in Qdrant, through `@qdrant/js-client-rest`:
 * collections (created on first use with the embedder's size, cosine distance, payload indexes on the
 * keys we filter by), points upsert / delete, and filtered nearest-neighbour queries. These are exactly
 * the REST endpoints the contract double (simulators/qdrant) implements.
 *
 * Failures become errors the consumer understands: a Qdrant that cannot be reached keeps its socket
 * error as `cause` (an infrastructure outage: retried for as long as it lasts), a 5xx or 429 is
 * retryable, a 400 (wrong vector size, a bad filter) is permanent, with Qdrant's own message.
 */

/** The payload of every Sluice point: what search filters on and shows without a database round trip. */
export const PointPayload = z.object({
  tenant_id: z.number().int(),
  integration_id: z.number().int(),
  entity: z.string(),
  key: z.string(),
  record_id: z.number().int(),
  title: z.string(),
  text_hash: z.string(),
});
export type PointPayload = z.infer<typeof PointPayload>;

export interface Point {
  readonly id: number;
  readonly vector: number[];
  readonly payload: PointPayload;
}

export interface Hit {
  readonly id: number;
  readonly score: number;
  readonly payload: PointPayload;
}

/** Keys Sluice filters on; indexed when a collection is created (a real Qdrant filters faster with them). */
const INDEXED: readonly { field: keyof PointPayload; schema: 'integer' | 'keyword' }[] = [
  { field: 'tenant_id', schema: 'integer' },
  { field: 'integration_id', schema: 'integer' },
  { field: 'key', schema: 'keyword' },
];

export interface Filter {
  readonly must?: readonly { readonly key: string; readonly match: { readonly value: string | number } | { readonly any: readonly (string | number)[] } }[];
}

const statusOf = (error: unknown): number | null => {
  const s = (error as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : null;
};

/** Qdrant's `{status: {error}}` message, or the body text. */
const messageOf = (error: unknown): string => {
  const data = (error as { data?: unknown } | null)?.data;
  const said = (data as { status?: { error?: unknown } } | null)?.status?.error;
  if (typeof said === 'string') return said;
  if (typeof data === 'string' && data) return data.slice(0, 300);
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
};

export const describeQdrantError = (error: unknown, what: string, host: string): Error => {
  const status = statusOf(error);
  if (status === null) {
    // fetch failed: keep the socket error as the cause (ECONNREFUSED...), which marks an outage.
    const cause = (error as { cause?: unknown } | null)?.cause ?? error;
    return Object.assign(new RetryableError(`Qdrant at ${host} could not be reached to ${what} (${cause instanceof Error ? cause.message : String(cause)}); check QDRANT_URL and that Qdrant is running.`), { cause });
  }
  const said = messageOf(error);
  if (status === 401 || status === 403) return new RetryableError(`Qdrant at ${host} refused the API key (${status}) to ${what}: ${said}; check QDRANT_API_KEY.`);
  if (status === 429 || status >= 500) return new RetryableError(`Qdrant at ${host} could not ${what} now (${status}: ${said}); it will be retried.`);
  return new PermanentError(`Qdrant at ${host} refused to ${what} (${status}: ${said}).`);
};

export interface VectorStoreOptions {
  readonly url: string;
  readonly apiKey: string | null;
  readonly timeoutMs?: number;
}

export class VectorStore {
  private readonly client: QdrantClient;
  private readonly host: string;
  /** Collections known to exist, with their vector size (per thread; a dropped one is forgotten on drop). */
  private readonly sizes = new Map<string, number>();

  constructor(options: VectorStoreOptions) {
    this.host = new URL(options.url).host;
    this.client = new QdrantClient({
      url: options.url,
      // As a header rather than `apiKey`, which would also switch the client to https when the URL gives no
      // scheme and warns on every construction for http (the URL always says which one we mean).
      ...(options.apiKey ? { headers: { 'api-key': options.apiKey } } : {}),
      timeout: options.timeoutMs ?? 30_000,
      // The compatibility probe logs to the console on its own; the console's health check covers it.
      checkCompatibility: false,
    });
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw describeQdrantError(error, what, this.host);
    }
  }

  /** The collection's vector size, or null when it does not exist. */
  async sizeOf(name: string): Promise<number | null> {
    try {
      const info = await this.client.getCollection(name);
      const vectors = info.config.params.vectors;
      const size = vectors && typeof vectors === 'object' && 'size' in vectors && typeof vectors.size === 'number' ? vectors.size : null;
      if (size === null) throw new PermanentError(`Qdrant collection ${name} has named or sparse vectors; Sluice expects one unnamed vector per point. Drop it (re-embed all) or use another QDRANT prefix.`);
      return size;
    } catch (error) {
      if (error instanceof PermanentError) throw error;
      if (statusOf(error) === 404) return null;
      throw describeQdrantError(error, `read collection ${name}`, this.host);
    }
  }

  /**
   * Creates the collection with `size` if it is missing (a concurrent creator is fine), and refuses a
   * collection of another size with what to do, since its vectors cannot be compared with ours.
   */
  async ensureCollection(name: string, size: number, entity: VectorEntity): Promise<void> {
    const known = this.sizes.get(name);
    if (known === size) return;
    let existing = known ?? (await this.sizeOf(name));
    if (existing === null) {
      let created = true;
      try {
        await this.client.createCollection(name, { vectors: { size, distance: 'Cosine' } });
      } catch (error) {
        if (statusOf(error) !== 409) throw describeQdrantError(error, `create collection ${name}`, this.host);
        created = false; // another thread created it in the meantime
      }
      if (created) {
        for (const { field, schema } of INDEXED) {
          await this.call(`index ${field} in ${name}`, () => this.client.createPayloadIndex(name, { field_name: field, field_schema: schema, wait: true }));
        }
      }
      existing = created ? size : await this.sizeOf(name);
    }
    if (existing !== size) {
      throw new PermanentError(
        `Qdrant collection ${name} holds ${existing}-dimension vectors but the embedder makes ${size}; the embedder changed. Use "Re-embed all" for ${entity} on the Vectors screen: it recreates the collection.`,
      );
    }
    this.sizes.set(name, size);
  }

  async upsert(name: string, points: readonly Point[]): Promise<void> {
    if (points.length === 0) return;
    await this.call(`upsert ${points.length} point(s) into ${name}`, () =>
      this.client.upsert(name, { wait: true, points: points.map((p) => ({ id: p.id, vector: p.vector, payload: p.payload })) }),
    );
  }

  /** Deletes points by id; a missing collection has nothing to delete. */
  async deletePoints(name: string, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.client.delete(name, { wait: true, points: [...ids] });
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw describeQdrantError(error, `delete ${ids.length} point(s) from ${name}`, this.host);
    }
  }

  async dropCollection(name: string): Promise<void> {
    this.sizes.delete(name);
    await this.call(`delete collection ${name}`, () => this.client.deleteCollection(name));
  }

  /** Points matching the filter; null when the collection does not exist. */
  async count(name: string, filter?: Filter): Promise<number | null> {
    try {
      const r = await this.client.count(name, { exact: true, ...(filter ? { filter: filter as never } : {}) });
      return r.count;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw describeQdrantError(error, `count points in ${name}`, this.host);
    }
  }

  /** The nearest points by cosine; a missing collection has none. Points without Sluice's payload are skipped. */
  async query(name: string, vector: readonly number[], options: { filter?: Filter; limit: number }): Promise<Hit[]> {
    try {
      const r = await this.client.query(name, { query: [...vector], limit: options.limit, with_payload: true, ...(options.filter ? { filter: options.filter as never } : {}) });
      return r.points.flatMap((p) => {
        const payload = PointPayload.safeParse(p.payload);
        return payload.success && typeof p.id === 'number' ? [{ id: p.id, score: p.score, payload: payload.data }] : [];
      });
    } catch (error) {
      if (statusOf(error) === 404) return [];
      throw describeQdrantError(error, `search ${name}`, this.host);
    }
  }
}
