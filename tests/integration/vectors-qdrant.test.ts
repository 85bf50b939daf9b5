import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { QdrantReader } from '../../main/engine/vectors/qdrant';
import { startQdrantDouble, type RunningQdrantDouble } from '../../simulators';
import { PermanentError } from '../../workers/queue/errors';
import { VectorStore, type Point } from '../../workers/vectorize/qdrant';

/**
 * The Qdrant contract Sluice relies on, run twice: against the contract double (simulators/qdrant),
 * always, and against a real Qdrant whenever QDRANT_URL is set (QDRANT_API_KEY too if it needs one).
 * Without QDRANT_URL the real-server suite is reported as skipped, never as passed. Both go through
 * Sluice's own code (the stage's VectorStore and the console's QdrantReader over
 * @qdrant/js-client-rest), so the double is held to what a real server answers for exactly those calls.
 */
const contract = (label: string, target: () => { url: string; apiKey: string | null }) => {
  describe(`Qdrant contract: ${label}`, () => {
    const prefix = `it_contract_${randomBytes(3).toString('hex')}`;
    const name = (s: string) => `${prefix}_t1_${s}`;
    let store: VectorStore;
    let reader: QdrantReader;
    const point = (id: number, vector: number[], key: string, integration = 7): Point => ({
      id,
      vector,
      payload: { tenant_id: 1, integration_id: integration, entity: 'work_items', key, record_id: id, title: `title ${key}`, text_hash: 'a'.repeat(64) },
    });

    beforeAll(() => {
      const t = target();
      store = new VectorStore({ url: t.url, apiKey: t.apiKey });
      reader = new QdrantReader(t.url, t.apiKey);
    });
    afterAll(async () => {
      for (const s of ['work_items', 'prs']) await store?.dropCollection(name(s)).catch(() => undefined);
    });

    it('a missing collection: no size, no count, no hits, and deleting from it is fine', async () => {
      expect(await store.sizeOf(name('work_items'))).toBeNull();
      expect(await store.count(name('work_items'))).toBeNull();
      expect(await store.query(name('work_items'), [1, 0, 0, 0], { limit: 3 })).toEqual([]);
      await expect(store.deletePoints(name('work_items'), [1])).resolves.toBeUndefined();
    });

    it('creates a collection once (twice is fine), refuses another size with what to do', async () => {
      await store.ensureCollection(name('work_items'), 4, 'work_items');
      await new VectorStore(target()).ensureCollection(name('work_items'), 4, 'work_items');
      expect(await store.sizeOf(name('work_items'))).toBe(4);
      const other = await new VectorStore(target()).ensureCollection(name('work_items'), 8, 'work_items').catch((e: unknown) => e);
      expect(other).toBeInstanceOf(PermanentError);
      expect((other as Error).message).toMatch(/holds 4-dimension vectors but the embedder makes 8.*Re-embed all/);
    });

    it('upserts, counts with a payload filter, finds nearest by cosine, replaces a point by id', async () => {
      const c = name('work_items');
      await store.upsert(c, [point(1, [1, 0, 0, 0], 'A-1'), point(2, [0, 1, 0, 0], 'A-2'), point(3, [0.9, 0.1, 0, 0], 'A-3', 8), point(4, [0, 0, 1, 0], 'A-4')]);
      expect(await store.count(c)).toBe(4);
      expect(await store.count(c, { must: [{ key: 'integration_id', match: { value: 7 } }] })).toBe(3);
      expect(await store.count(c, { must: [{ key: 'key', match: { any: ['A-1', 'A-4', 'nope'] } }] })).toBe(2);
      const hits = await store.query(c, [2, 0, 0, 0], { limit: 3, filter: { must: [{ key: 'tenant_id', match: { value: 1 } }] } });
      expect(hits.map((h) => h.id)).toEqual([1, 3, 2]);
      expect(hits[0]!.score).toBeCloseTo(1, 5);
      expect(hits[1]!.score).toBeCloseTo(0.9 / Math.sqrt(0.82), 5);
      expect(hits[0]!.payload).toEqual(point(1, [], 'A-1').payload);
      const filtered = await store.query(c, [1, 0, 0, 0], { limit: 10, filter: { must: [{ key: 'integration_id', match: { value: 8 } }] } });
      expect(filtered.map((h) => h.id)).toEqual([3]);
      // Same id again: replaced, not added.
      await store.upsert(c, [point(2, [1, 0, 0, 0], 'A-2b')]);
      expect(await store.count(c)).toBe(4);
      expect((await store.query(c, [1, 0, 0, 0], { limit: 2 })).map((h) => h.payload.key).sort()).toEqual(['A-1', 'A-2b']);
    });

    it('refuses a vector of the wrong size with Qdrant’s message, as a permanent error', async () => {
      const e = await store.upsert(name('work_items'), [point(9, [1, 0], 'A-9')]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PermanentError);
      expect((e as Error).message).toMatch(/\(400: .*[Vv]ector dimension error: expected dim: 4, got 2/);
    });

    it('deletes points by id, and the console reads collections, sizes and counts', async () => {
      const c = name('work_items');
      await store.deletePoints(c, [1, 4, 999]);
      expect(await store.count(c)).toBe(2);
      await store.ensureCollection(name('prs'), 4, 'prs');
      const info = await reader.info();
      expect(info).toMatchObject({ state: 'up', message: null });
      expect(typeof info.version).toBe('string');
      const collections = await reader.collections(prefix, 1);
      expect(collections.map((x) => ({ name: x.name, entity: x.entity, points: x.points, dimensions: x.dimensions }))).toEqual([
        { name: name('prs'), entity: 'prs', points: 0, dimensions: 4 },
        { name: name('work_items'), entity: 'work_items', points: 2, dimensions: 4 },
      ]);
      expect(await reader.collections(prefix, 2)).toEqual([]);
      await store.dropCollection(name('prs'));
      expect(await store.sizeOf(name('prs'))).toBeNull();
    });
  });
};

let double: RunningQdrantDouble;
beforeAll(async () => {
  double = await startQdrantDouble({ apiKey: 'contract-key' });
});
afterAll(async () => {
  await double?.stop();
});

contract('Sluice contract double', () => ({ url: double.url, apiKey: 'contract-key' }));

const real = process.env['QDRANT_URL'];
describe.skipIf(!real)('against a real Qdrant (QDRANT_URL)', () => {
  contract(`real Qdrant at ${real ?? '(QDRANT_URL not set: skipped)'}`, () => ({ url: real!, apiKey: process.env['QDRANT_API_KEY'] || null }));
});

describe('the double’s own behaviour (beyond the shared contract)', () => {
  it('says it is the double, refuses a wrong key with 403, and can play unavailable', async () => {
    const reader = new QdrantReader(double.url, 'contract-key');
    expect(await reader.info()).toMatchObject({ state: 'up', double: true });
    const wrong = await new QdrantReader(double.url, 'wrong').info();
    expect(wrong).toMatchObject({ state: 'down', message: 'Qdrant refused the API key (403): check QDRANT_API_KEY.' });
    double.setUnavailable(true);
    try {
      const e = await new VectorStore({ url: double.url, apiKey: 'contract-key' }).count('x').catch((x: unknown) => x);
      expect((e as Error).message).toMatch(/could not count points in x now \(503/);
    } finally {
      double.setUnavailable(false);
    }
  });
});
