import { z } from 'zod';

import { VectorSettings } from '../vectors/settings';
import { ProgressEvent } from './progress';

/**
 * The messages between the engine's supervisor and a worker thread. Both sides validate what they
 * receive; a version mismatch (an old worker bundle next to a new engine) is refused at `ready`.
 *
 * Version 2: workers get their settings through `workerData` (`WorkerSettings`), report `stats`,
 * and `stopped` says whether the drain finished in time.
 * Version 3: `progress` carries live "run changed" signals to the engine when there is no Redis.
 */
export const WORKER_PROTOCOL_VERSION = 3;

export const Stage = z.enum(['extract', 'transform', 'load', 'vectorize']);
export type Stage = z.infer<typeof Stage>;

/** Which RabbitMQ namespace to use (see `createTopology` in shared/queue/topology.ts). */
export const TopologySettings = z.strictObject({
  prefix: z.string().regex(/^[A-Za-z0-9._-]{0,80}$/).default(''),
  delayTiersMs: z.array(z.number().int().positive()).min(1).optional(),
  maxAttempts: z.number().int().min(1).optional(),
  deliveryLimit: z.number().int().min(1).optional(),
});
export type TopologySettings = z.infer<typeof TopologySettings>;

/** Extra knobs for a handler (e.g. the test handlers' delays); plain values only, they cross a thread boundary. */
export const HandlerOptions = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type HandlerOptions = z.infer<typeof HandlerOptions>;

/** A handler name registered in workers/stages/registry.ts (validated there: an unknown name is a `fatal`). */
export const HandlerName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/);

const AmqpUrl = z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL');

/**
 * What a worker thread needs to run one stage, given once at start through `workerData`. It carries
 * service credentials: it goes from the supervisor to the thread and nowhere else (never into logs,
 * queue messages or the renderer).
 */
export const WorkerSettings = z.strictObject({
  protocol: z.literal(WORKER_PROTOCOL_VERSION),
  stage: Stage,
  hostId: z.string().min(1).max(200),
  handler: HandlerName,
  handlerOptions: HandlerOptions.default({}),
  rabbitmqUrl: AmqpUrl,
  databaseUrl: z.string().min(1).nullable().default(null),
  redisUrl: z.string().min(1).nullable().default(null),
  topology: TopologySettings.default({ prefix: '' }),
  /** Unacked messages this thread works on at once (its handler concurrency). */
  prefetch: z.number().int().min(1).max(10_000).default(10),
  /** How often the thread may post `stats` (it posts only when something changed). */
  statsIntervalMs: z.number().int().min(50).max(60_000).default(500),
  /** How long the thread tries to reach RabbitMQ at start before it gives up with `fatal`. */
  connectTimeoutMs: z.number().int().min(100).default(30_000),
  /** The local SQLite raw cache extract writes each stored page to (`<home>/cache/raw-cache.sqlite`); null = none. */
  rawCachePath: z.string().min(1).nullable().default(null),
  /** The raw cache's size budget in bytes (the cache's own default when unset). */
  rawCacheBudgetBytes: z.number().int().positive().optional(),
  /**
   * The keys that open integration tokens sealed in Postgres (shared/lib/secret-box.ts): the current
   * one and any older ones still in use. Base64 of 32 bytes each; extract threads need them.
   */
  secretKeys: z.array(z.strictObject({ id: z.string().min(1).max(64), key: z.string().min(1).max(200) })).max(10).default([]),
  /**
   * Qdrant is configured for this host: load threads publish a vectorize job after each unit they load.
   * Off, nothing is published, so no queue fills up that nobody drains.
   */
  vectorsEnabled: z.boolean().default(false),
  /** Vectorize threads only: Qdrant and the embedder, with their keys (null: the stage is off). */
  vectors: VectorSettings.nullable().default(null),
  /** Request budget for integrations whose settings and provider give none (token bucket). */
  rateLimitDefault: z.strictObject({ capacity: z.number().int().min(1), refillPerSecond: z.number().positive() }).optional(),
  /**
   * Without Redis: the engine's `createSharedBudgets()` buffer, so every thread of the host shares one
   * rate-limit budget per integration (a SharedArrayBuffer survives workerData's structured clone).
   */
  // Not z.instanceof(SharedArrayBuffer): this module reaches the console too (pool health schemas), and a
  // page that is not cross-origin isolated has no SharedArrayBuffer global, so that would throw at load.
  sharedBudgets: z
    .custom<SharedArrayBuffer>((v) => typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer, 'must be a SharedArrayBuffer')
    .optional(),
});
export type WorkerSettings = z.infer<typeof WorkerSettings>;
/** What the supervisor writes (defaults may be left out). */
export type WorkerSettingsInput = z.input<typeof WorkerSettings>;

export const ConnectionStateName = z.enum(['idle', 'connecting', 'connected', 'reconnecting', 'closed']);

const LastError = z.strictObject({ message: z.string(), at: z.string() }).nullable();

/** Counters of one thread since it started (monotonic within a thread's life). */
export const WorkerStats = z.strictObject({
  processed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  retried: z.number().int().nonnegative(),
  deadLettered: z.number().int().nonnegative(),
  redelivered: z.number().int().nonnegative(),
  inFlight: z.number().int().nonnegative(),
  lastError: LastError,
  connection: ConnectionStateName,
});
export type WorkerStats = z.infer<typeof WorkerStats>;

export const SupervisorMessage = z.discriminatedUnion('type', [
  /** Stop taking work, finish what is in flight within graceMs, then exit. */
  z.object({ type: z.literal('shutdown'), graceMs: z.number().int().nonnegative() }),
  z.object({ type: z.literal('ping'), id: z.number().int() }),
]);
export type SupervisorMessage = z.infer<typeof SupervisorMessage>;

export const WorkerMessage = z.discriminatedUnion('type', [
  /** Sent once the thread consumes its stage queue (not merely loaded). */
  z.object({ type: z.literal('ready'), stage: Stage, protocol: z.number().int(), threadId: z.number().int() }),
  z.object({ type: z.literal('pong'), id: z.number().int() }),
  z.object({ type: z.literal('stats'), stage: Stage, stats: WorkerStats }),
  /** `timedOut`: the grace period ran out and unfinished messages went back to the queue. */
  z.object({ type: z.literal('stopped'), stage: Stage, timedOut: z.boolean() }),
  /** Unrecoverable: the thread exits with a non-zero code right after. */
  z.object({ type: z.literal('fatal'), stage: Stage, message: z.string() }),
  /** Live progress of a run (coalesced in the thread), forwarded by the supervisor to the engine without Redis. */
  z.object({ type: z.literal('progress'), stage: Stage, event: ProgressEvent }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;

/**
 * Size of the shared-memory rate-limit buckets (workers/coordination/rate-limit-shared.ts: 256 slots
 * of 4 Int32 + 3 Float64). The engine allocates the SharedArrayBuffer without importing worker code.
 */
export const SHARED_BUDGETS_BYTES = 256 * 4 * 4 + 256 * 3 * 8;
