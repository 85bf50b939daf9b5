import { describe, expect, it } from 'vitest';

import { FilterSchema, matches } from './filter';
import { QdrantStore } from './store';

describe('Qdrant double: filters', () => {
  const p = { tenant_id: 1, key: 'A-1', tags: ['x', 'y'], size: 5, meta: { team: 'core' }, gone: null };
  it('follows Qdrant’s must / should / must_not semantics, arrays matching any element', () => {
    expect(matches({ must: [{ key: 'tenant_id', match: { value: 1 } }, { key: 'tags', match: { value: 'y' } }] }, 1, p)).toBe(true);
    expect(matches({ must: { key: 'tenant_id', match: { value: 2 } } }, 1, p)).toBe(false);
    expect(matches({ should: [{ key: 'key', match: { value: 'B' } }, { key: 'meta.team', match: { any: ['core'] } }] }, 1, p)).toBe(true);
    expect(matches({ must_not: [{ has_id: [1] }] }, 1, p)).toBe(false);
    expect(matches({ must: [{ key: 'size', range: { gt: 4, lte: 5 } }, { is_null: { key: 'gone' } }, { is_empty: { key: 'missing' } }] }, 1, p)).toBe(true);
    expect(matches({ must: [{ key: 'key', match: { except: ['A-1'] } }] }, 1, p)).toBe(false);
    expect(matches({ must: [{ must_not: [{ key: 'key', match: { value: 'A-1' } }] }] }, 1, p)).toBe(false);
    expect(matches({ min_should: { conditions: [{ key: 'key', match: { value: 'A-1' } }, { key: 'size', range: { gt: 10 } }], min_count: 2 } }, 1, p)).toBe(false);
  });

  it('refuses conditions it does not implement instead of ignoring them', () => {
    expect(FilterSchema.safeParse({ must: [{ key: 'geo', geo_radius: { center: { lon: 0, lat: 0 }, radius: 1 } }] }).success).toBe(false);
    expect(FilterSchema.safeParse({ must: [{ key: 'text', match: { text: 'hello' } }] }).success).toBe(false);
  });
});

describe('Qdrant double: store', () => {
  it('keeps cosine collections normalised, searches exactly, and errs like Qdrant', () => {
    const s = new QdrantStore();
    s.create('c', 2, 'Cosine');
    expect(() => s.create('c', 2, 'Cosine')).toThrow('Wrong input: Collection `c` already exists!');
    expect(() => s.get('nope')).toThrow('Not found: Collection `nope` doesn\'t exist!');
    s.upsert('c', [{ id: 1, vector: [3, 4] }, { id: 2, vector: [0, 2], payload: { k: 'b' } }]);
    expect(s.get('c').points.get('1')!.vector).toEqual([0.6, 0.8]);
    const hits = s.query('c', { vector: [0, 1], limit: 5, offset: 0, withPayload: true, withVector: false });
    expect(hits.map((h) => [h.id, Number(h.score.toFixed(3))])).toEqual([[2, 1], [1, 0.8]]);
    expect(hits[0]!.payload).toEqual({ k: 'b' });
    expect(s.query('c', { vector: [0, 1], limit: 5, offset: 1, withPayload: false, withVector: false, scoreThreshold: 0.9 })).toEqual([]);
    expect(() => s.upsert('c', [{ id: 3, vector: [1, 2, 3] }])).toThrow('Wrong input: Vector dimension error: expected dim: 2, got 3');
    expect(() => s.upsert('c', [{ id: 3, vector: [0, 0] }])).toThrow(/zero vector/);
    // An upsert that fails changes nothing.
    expect(s.count('c')).toBe(2);
    s.delete('c', { filter: { must: [{ key: 'k', match: { value: 'b' } }] } });
    expect(s.count('c')).toBe(1);
    expect(() => s.create('bad/name', 2, 'Cosine')).toThrow(/is invalid/);
  });
});
