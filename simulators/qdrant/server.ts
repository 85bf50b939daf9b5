/**
 * A contract double of the Qdrant REST API: exactly the endpoints Sluice calls through
 * `@qdrant/js-client-rest` 1.18 (collections, payload index, points upsert / delete / count / query,
 * the service root and health probes), with Qdrant's response envelope (`{result, status: "ok", time}`),
 * its error envelope (`{status: {error}, time}`) and status codes (404 missing collection, 409
 * existing one, 400 wrong input, 403 wrong API key). Everything lives in memory and is lost on stop.
 * Tests share it (tests/integration/vectors-*.test.ts, the e2e spec), and `sluice start` runs one so
 * the demo's Vectors screen has something to show; the console says when it talks to this double.
 *
 * Not a vector database: search is exact brute force, there are no named or sparse vectors, no
 * snapshots, no clustering. An unsupported body is refused (400) rather than silently ignored.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';

import { listenLoopback } from '../http/base';
import { FilterSchema } from './filter';
import { QdrantError, QdrantStore, type Distance } from './store';

/** What GET / answers; `sluice_double` lets the console tell this double from a real Qdrant. */
export const DOUBLE_TITLE = 'qdrant - vector search engine (Sluice contract double, in memory)';
export const DOUBLE_VERSION = '1.18.0';

export interface QdrantDoubleOptions {
  port?: number;
  /** Require this key (`api-key` header or `Authorization: Bearer`), as Qdrant with `service.api_key`. */
  apiKey?: string;
}

export interface QdrantDoubleStats {
  requests: number;
  byRoute: Record<string, number>;
  /** Point ids upserted, per collection, in order (a point upserted twice appears twice). */
  upserted: Record<string, (number | string)[]>;
  /** Point ids deleted by id, per collection. */
  deleted: Record<string, (number | string)[]>;
}

export interface RunningQdrantDouble {
  readonly url: string;
  readonly store: QdrantStore;
  stats(): QdrantDoubleStats;
  /** Forgets the request log (not the data). */
  resetStats(): void;
  /** While on, every API call answers 503 (as a Qdrant that is restarting); health probes too. */
  setUnavailable(unavailable: boolean): void;
  stop(): Promise<void>;
}

const Id = z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().uuid()]);
const DistanceSchema = z.enum(['Cosine', 'Dot', 'Euclid', 'Manhattan']);
const CreateBody = z.looseObject({
  vectors: z.strictObject({ size: z.number().int(), distance: DistanceSchema, on_disk: z.boolean().nullish(), datatype: z.string().nullish() }),
});
const IndexBody = z.strictObject({ field_name: z.string().min(1), field_schema: z.union([z.string(), z.looseObject({ type: z.string() })]).nullish() });
const UpsertBody = z.strictObject({
  points: z.array(z.strictObject({ id: Id, vector: z.array(z.number()), payload: z.record(z.string(), z.unknown()).nullish() })).min(1),
  shard_key: z.unknown().optional(),
  update_filter: z.unknown().optional(),
});
const DeleteBody = z.union([z.strictObject({ points: z.array(Id), shard_key: z.unknown().optional() }), z.strictObject({ filter: FilterSchema, shard_key: z.unknown().optional() })]);
const CountBody = z.strictObject({ filter: FilterSchema.nullish(), exact: z.boolean().nullish(), shard_key: z.unknown().optional() });
const QueryBody = z.strictObject({
  query: z.union([z.array(z.number()), z.strictObject({ nearest: z.array(z.number()) })]),
  filter: FilterSchema.nullish(),
  limit: z.number().int().min(0).max(100_000).nullish(),
  offset: z.number().int().min(0).nullish(),
  with_payload: z.union([z.boolean(), z.array(z.string())]).nullish(),
  with_vector: z.boolean().nullish(),
  score_threshold: z.number().nullish(),
  params: z.unknown().optional(),
  shard_key: z.unknown().optional(),
});

const seconds = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;

export async function startQdrantDouble(options: QdrantDoubleOptions = {}): Promise<RunningQdrantDouble> {
  const store = new QdrantStore();
  const fresh = (): QdrantDoubleStats => ({ requests: 0, byRoute: {}, upserted: {}, deleted: {} });
  let stats = fresh();
  let unavailable = false;
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });
  // The client sends DELETE /collections/{name} without a body but may keep a JSON content type.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(new QdrantError(400, 'Bad request: the body is not valid JSON.'), undefined);
    }
  });

  const started = new WeakMap<FastifyRequest, bigint>();
  const open = new Set(['/', '/healthz', '/readyz', '/livez']);
  app.addHook('onRequest', async (req, reply) => {
    started.set(req, process.hrtime.bigint());
    if (req.url.startsWith('/__control')) return;
    stats.requests += 1;
    const route = `${req.method} ${req.routeOptions.url ?? 'unknown'}`;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    if (unavailable) return reply.code(503).send({ status: { error: 'Service internal error: the Sluice Qdrant double is set unavailable (/__control/unavailable).' }, time: 0 });
    if (options.apiKey && !open.has(req.url.split('?')[0] ?? '')) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
      const key = req.headers['api-key'] ?? bearer;
      if (key !== options.apiKey) return reply.code(403).type('text/plain').send('Must provide an API key or an Authorization bearer token');
    }
  });

  const ok = (req: FastifyRequest, reply: FastifyReply, result: unknown) =>
    reply.code(200).send({ result, status: 'ok', time: seconds(started.get(req) ?? process.hrtime.bigint()) });
  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const r = schema.safeParse(body ?? {});
    if (!r.success) {
      const i = r.error.issues[0];
      throw new QdrantError(400, `Bad request: Format error in JSON body: ${i ? `${i.path.join('.') || 'body'}: ${i.message}` : 'invalid'} (the Sluice Qdrant double accepts only what Sluice sends)`);
    }
    return r.data;
  };
  const name = (req: FastifyRequest): string => (req.params as { name: string }).name;
  const updated = (version: number) => ({ operation_id: version, status: 'completed' });

  app.setErrorHandler((error, req, reply) => {
    const status = error instanceof QdrantError ? error.status : typeof (error as { statusCode?: unknown }).statusCode === 'number' ? ((error as { statusCode: number }).statusCode) : 500;
    const message = error instanceof QdrantError ? error.message : `Service internal error: ${error instanceof Error ? error.message : String(error)}`;
    void reply.code(status).send({ status: { error: message }, time: seconds(started.get(req) ?? process.hrtime.bigint()) });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ status: { error: `Not found: the Sluice Qdrant double does not serve ${req.method} ${req.url.split('?')[0]}` }, time: 0 }),
  );

  app.get('/', async () => ({ title: DOUBLE_TITLE, version: DOUBLE_VERSION, commit: 'sluice-double', sluice_double: true }));
  for (const probe of ['healthz', 'livez', 'readyz']) app.get(`/${probe}`, async (_req, reply) => reply.type('text/plain').send(`${probe} check passed`));

  app.get('/collections', async (req, reply) => ok(req, reply, { collections: [...store.collections.keys()].sort().map((n) => ({ name: n })) }));
  app.get('/collections/:name', async (req, reply) => {
    const c = store.get(name(req));
    return ok(req, reply, {
      status: 'green',
      optimizer_status: 'ok',
      indexed_vectors_count: 0,
      points_count: c.points.size,
      segments_count: 1,
      config: {
        params: { vectors: { size: c.size, distance: c.distance }, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true },
        hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10_000, max_indexing_threads: 0, on_disk: false },
        optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, max_segment_size: null, memmap_threshold: null, indexing_threshold: 20_000, flush_interval_sec: 5, max_optimization_threads: null },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
        quantization_config: null,
      },
      payload_schema: Object.fromEntries([...c.indexes].map(([field, type]) => [field, { data_type: type, points: c.points.size }])),
    });
  });
  app.get('/collections/:name/exists', async (req, reply) => ok(req, reply, { exists: store.collections.has(name(req)) }));
  app.put('/collections/:name', async (req, reply) => {
    const body = parse(CreateBody, req.body);
    store.create(name(req), body.vectors.size, body.vectors.distance as Distance);
    return ok(req, reply, true);
  });
  app.delete('/collections/:name', async (req, reply) => ok(req, reply, store.drop(name(req))));
  app.put('/collections/:name/index', async (req, reply) => {
    const body = parse(IndexBody, req.body);
    const c = store.get(name(req));
    const schema = typeof body.field_schema === 'string' ? body.field_schema : (body.field_schema?.type ?? 'keyword');
    c.indexes.set(body.field_name, schema);
    c.version += 1;
    return ok(req, reply, updated(c.version));
  });
  app.put('/collections/:name/points', async (req, reply) => {
    const body = parse(UpsertBody, req.body);
    const version = store.upsert(name(req), body.points);
    (stats.upserted[name(req)] ??= []).push(...body.points.map((p) => p.id));
    return ok(req, reply, updated(version));
  });
  app.post('/collections/:name/points/delete', async (req, reply) => {
    const body = parse(DeleteBody, req.body);
    const version = store.delete(name(req), body);
    if ('points' in body) (stats.deleted[name(req)] ??= []).push(...body.points);
    return ok(req, reply, updated(version));
  });
  app.post('/collections/:name/points/count', async (req, reply) => {
    const body = parse(CountBody, req.body);
    return ok(req, reply, { count: store.count(name(req), body.filter) });
  });
  app.post('/collections/:name/points/query', async (req, reply) => {
    const body = parse(QueryBody, req.body);
    const vector = Array.isArray(body.query) ? body.query : body.query.nearest;
    const points = store.query(name(req), {
      vector,
      filter: body.filter ?? null,
      limit: body.limit ?? 10,
      offset: body.offset ?? 0,
      withPayload: body.with_payload === true || Array.isArray(body.with_payload),
      withVector: body.with_vector === true,
      scoreThreshold: body.score_threshold ?? null,
    });
    // `with_payload: [keys]` returns only those keys, as Qdrant does.
    const keys = Array.isArray(body.with_payload) ? body.with_payload : null;
    const shaped = keys ? points.map((p) => ({ ...p, payload: Object.fromEntries(Object.entries(p.payload ?? {}).filter(([k]) => keys.includes(k))) })) : points;
    return ok(req, reply, { points: shaped });
  });

  // Test controls, outside Qdrant's namespace (loopback only, no key).
  app.get('/__control/stats', async () => stats);
  app.post('/__control/unavailable', async (req) => {
    unavailable = (req.body as { unavailable?: unknown } | undefined)?.unavailable === true;
    return { unavailable };
  });

  const url = await listenLoopback(app, options.port);
  return {
    url,
    store,
    stats: () => stats,
    resetStats: () => {
      stats = fresh();
    },
    setUnavailable: (value) => {
      unavailable = value;
    },
    stop: () => app.close(),
  };
}
