/**
 * The double's in-memory collections: one unnamed dense vector per point, exact (brute force)
 * nearest-neighbour search, payload filters (filter.ts). Errors are `QdrantError`s carrying the HTTP
 * status and the message text Qdrant's own storage errors have, so callers see what a real server says.
 */
import { matches, type Filter, type Payload, type PointId } from './filter';

export type Distance = 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';

export class QdrantError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 500 | 503,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (name: string): QdrantError => new QdrantError(404, `Not found: Collection \`${name}\` doesn't exist!`);

interface StoredPoint {
  readonly id: PointId;
  vector: number[];
  payload: Payload;
  version: number;
}

export interface Collection {
  readonly name: string;
  readonly size: number;
  readonly distance: Distance;
  readonly points: Map<string, StoredPoint>;
  /** field → schema, as created through PUT /collections/{name}/index. */
  readonly indexes: Map<string, string>;
  version: number;
}

export interface ScoredPoint {
  id: PointId;
  version: number;
  score: number;
  payload?: Payload;
  vector?: number[];
}

// Qdrant's rule: letters, digits, `_`, `-`, `.` and no path characters; at most 255 bytes.
const NAME_RE = /^[A-Za-z0-9_.-]{1,255}$/;

const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

export class QdrantStore {
  readonly collections = new Map<string, Collection>();

  create(name: string, size: number, distance: Distance): void {
    if (!NAME_RE.test(name)) throw new QdrantError(400, `Wrong input: Collection name "${name}" is invalid: use letters, digits, "_", "-" or "." only.`);
    if (this.collections.has(name)) throw new QdrantError(409, `Wrong input: Collection \`${name}\` already exists!`);
    if (!Number.isInteger(size) || size < 1 || size > 65_536) throw new QdrantError(400, `Wrong input: Vector size ${size} is out of range 1..65536.`);
    this.collections.set(name, { name, size, distance, points: new Map(), indexes: new Map(), version: 0 });
  }

  get(name: string): Collection {
    const c = this.collections.get(name);
    if (!c) throw notFound(name);
    return c;
  }

  drop(name: string): boolean {
    return this.collections.delete(name);
  }

  upsert(name: string, points: readonly { id: PointId; vector: number[]; payload?: Payload | null }[]): number {
    const c = this.get(name);
    // Validate everything first: Qdrant applies an upsert whole or not at all.
    for (const p of points) {
      if (p.vector.length !== c.size) throw new QdrantError(400, `Wrong input: Vector dimension error: expected dim: ${c.size}, got ${p.vector.length}`);
      if (c.distance === 'Cosine' && norm(p.vector) === 0) throw new QdrantError(400, `Wrong input: the Sluice Qdrant double refuses the zero vector of point ${String(p.id)} in a Cosine collection (it has no direction).`);
    }
    c.version += 1;
    for (const p of points) {
      // Cosine collections store normalised vectors, so the score is a dot product (as in Qdrant).
      const n = c.distance === 'Cosine' ? norm(p.vector) : 1;
      c.points.set(String(p.id), { id: p.id, vector: p.vector.map((x) => x / n), payload: p.payload ?? {}, version: c.version });
    }
    return c.version;
  }

  delete(name: string, selector: { points?: readonly PointId[]; filter?: Filter | null }): number {
    const c = this.get(name);
    c.version += 1;
    if (selector.points) for (const id of selector.points) c.points.delete(String(id));
    if (selector.filter) {
      for (const [key, p] of c.points) if (matches(selector.filter, p.id, p.payload)) c.points.delete(key);
    }
    return c.version;
  }

  count(name: string, filter?: Filter | null): number {
    const c = this.get(name);
    let n = 0;
    for (const p of c.points.values()) if (matches(filter, p.id, p.payload)) n += 1;
    return n;
  }

  query(
    name: string,
    q: { vector: readonly number[]; filter?: Filter | null; limit: number; offset: number; withPayload: boolean; withVector: boolean; scoreThreshold?: number | null },
  ): ScoredPoint[] {
    const c = this.get(name);
    if (q.vector.length !== c.size) throw new QdrantError(400, `Wrong input: Vector dimension error: expected dim: ${c.size}, got ${q.vector.length}`);
    const query = c.distance === 'Cosine' ? q.vector.map((x) => x / (norm(q.vector) || 1)) : [...q.vector];
    const higherIsBetter = c.distance === 'Cosine' || c.distance === 'Dot';
    const scored: ScoredPoint[] = [];
    for (const p of c.points.values()) {
      if (!matches(q.filter, p.id, p.payload)) continue;
      const score = this.score(c.distance, query, p.vector);
      if (q.scoreThreshold != null && (higherIsBetter ? score < q.scoreThreshold : score > q.scoreThreshold)) continue;
      scored.push({ id: p.id, version: p.version, score, ...(q.withPayload ? { payload: p.payload } : {}), ...(q.withVector ? { vector: p.vector } : {}) });
    }
    // Ties by id, so results are deterministic.
    scored.sort((a, b) => (higherIsBetter ? b.score - a.score : a.score - b.score) || String(a.id).localeCompare(String(b.id), 'en', { numeric: true }));
    return scored.slice(q.offset, q.offset + q.limit);
  }

  private score(distance: Distance, a: readonly number[], b: readonly number[]): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (distance === 'Euclid') s += (x - y) ** 2;
      else if (distance === 'Manhattan') s += Math.abs(x - y);
      else s += x * y;
    }
    return distance === 'Euclid' ? Math.sqrt(s) : s;
  }
}
