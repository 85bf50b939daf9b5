import { QdrantClient } from '@qdrant/js-client-rest';

import type { CollectionInfo, QdrantInfo } from '../../../shared/contract/vectors';
import { VectorEntity, tenantCollectionPrefix } from '../../../shared/vectors/entities';

/**
 * What the console reads from Qdrant (never writes: the vectorize stage owns the collections): the
 * service root (version, and whether it is Sluice's contract double), the tenant's collections with
 * their point counts and sizes. Reads are bounded by a timeout so a hung Qdrant cannot hold the
 * Vectors screen; a failure becomes a state the screen shows, not an error.
 */

const Root = (body: unknown): { version: string | null; double: boolean } => {
  const b = (body ?? {}) as { version?: unknown; sluice_double?: unknown };
  return { version: typeof b.version === 'string' ? b.version : null, double: b.sluice_double === true };
};

const describeFailure = (error: unknown): string => {
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 401 || status === 403) return `Qdrant refused the API key (${status}): check QDRANT_API_KEY.`;
  if (typeof status === 'number') return `Qdrant answered ${status}; check the Qdrant server's log.`;
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause?.message;
  const detail = typeof cause === 'string' ? cause : error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `Qdrant is not reachable (${detail}): start it or fix QDRANT_URL. Runs still succeed; vectors catch up once it is back.`;
};

export const publicUrl = (url: string): string => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
};

export class QdrantReader {
  private readonly client: QdrantClient;

  constructor(
    private readonly url: string,
    apiKey: string | null,
    private readonly timeoutMs = 3_000,
  ) {
    // The key as a header (see workers/vectorize/qdrant.ts for why not `apiKey`).
    this.client = new QdrantClient({ url, ...(apiKey ? { headers: { 'api-key': apiKey } } : {}), timeout: timeoutMs, checkCompatibility: false });
  }

  /** Health of the endpoint: version, double or not, latency; `down` with the reason when it does not answer. */
  async info(): Promise<QdrantInfo> {
    const started = performance.now();
    try {
      // The collections list (not only the open root) so that a wrong API key shows as down.
      const [root] = await Promise.all([this.client.versionInfo(), this.client.getCollections()]);
      const { version, double } = Root(root);
      return { url: publicUrl(this.url), state: 'up', version, double, message: null, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      return { url: publicUrl(this.url), state: 'down', version: null, double: false, message: describeFailure(error), latencyMs: null };
    }
  }

  /** The tenant's collections (`<prefix>_t<tenant>_*`) with their size and point count. */
  async collections(prefix: string, tenantId: number): Promise<CollectionInfo[]> {
    const start = tenantCollectionPrefix(prefix, tenantId);
    const { collections } = await this.client.getCollections();
    const mine = collections.map((c) => c.name).filter((n) => n.startsWith(start)).sort();
    return Promise.all(
      mine.map(async (name) => {
        const entity = VectorEntity.safeParse(name.slice(start.length));
        try {
          const info = await this.client.getCollection(name);
          const vectors = info.config.params.vectors;
          const dimensions = vectors && typeof vectors === 'object' && 'size' in vectors && typeof vectors.size === 'number' ? vectors.size : null;
          return { name, entity: entity.success ? entity.data : null, points: info.points_count ?? null, dimensions, status: info.status };
        } catch {
          return { name, entity: entity.success ? entity.data : null, points: null, dimensions: null, status: null };
        }
      }),
    );
  }
}
