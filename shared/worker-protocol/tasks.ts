import { z } from 'zod';

import { GithubSettings, JiraSettings } from '../connectors/settings';
import { DeadLetterItem } from '../contract/queues';
import { TopologySettings } from './protocol';
import { LoadedEntity } from '../vectors/entities';
import { VectorSettings } from '../vectors/settings';

/**
 * One-shot tasks the engine runs in a worker thread because they need worker-side code (the
 * connectors' HTTP calls), which `main/` may not import (DESIGN.md section 2). The engine starts
 * `workers/task` with `TaskRequest` as `workerData`; the thread validates it, runs the task, posts
 * one `TaskReply` and exits. Each task declares its input and output once, here; both sides parse.
 * Later users: transform preview, custom-field discovery, the CLI transform.
 *
 * Version 1. A reply the engine cannot parse (an old worker bundle) is reported as such.
 */
export const TASK_PROTOCOL_VERSION = 1;

/**
 * How to reach a provider API. Carries the token: it goes from the engine to the task thread in
 * `workerData` and nowhere else (never a log, a queue message or the renderer).
 */
export const TaskConnection = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('jira'), baseUrl: z.string().url(), settings: JiraSettings, token: z.string().min(1) }),
  z.strictObject({ provider: z.literal('github'), baseUrl: z.string().url(), settings: GithubSettings, token: z.string().min(1) }),
]);
export type TaskConnection = z.infer<typeof TaskConnection>;

export const JiraConnection = TaskConnection.options[0];
export type JiraConnection = z.infer<typeof JiraConnection>;
export type GithubConnection = z.infer<(typeof TaskConnection.options)[1]>;

export const CheckResult = z.strictObject({ name: z.string(), ok: z.boolean(), detail: z.string() });
export type CheckResult = z.infer<typeof CheckResult>;

/** Per-request limit inside the tasks (the engine also bounds the whole task). */
const RequestTimeout = { requestTimeoutMs: z.number().int().min(100).max(120_000).default(10_000) };

/** One raw unit to transform: what the store keeps of a page (its stream, partition and payload). */
export const PreviewUnit = z.strictObject({
  stream: z.string().min(1).max(200),
  partition: z.string().max(500).nullable().default(null),
  payload: z.unknown(),
});

/** Rows per unified table, as transform produces them (nothing is written). */
const PreviewTables = z.record(z.string(), z.array(z.record(z.string(), z.unknown())));

/**
 * Where the dead-letter queue is: the broker (the URL carries credentials, so it travels like a token:
 * workerData only), the namespace, and the tenant whose letters may be seen and touched.
 */
const DeadLetterScope = {
  rabbitmqUrl: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL'),
  topology: TopologySettings,
  tenantId: z.number().int().positive(),
};

/**
 * The local raw cache (workers/cache), read by the raw inspector while Postgres is unreachable, and
 * filled with the units the inspector opens online. `path` is `<SLUICE_HOME>/cache/raw-cache.sqlite`.
 */
const CacheId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const CachePath = z.string().min(1).max(4096);
export const CachedUnit = z.strictObject({
  rawId: CacheId,
  integrationId: CacheId,
  runId: CacheId,
  step: z.string(),
  stream: z.string(),
  requestUrl: z.string(),
  parentKey: z.string().nullable(),
  status: z.enum(['pending', 'transformed', 'loaded', 'failed', 'skipped']),
  recordCount: z.number().int().min(0),
  payloadBytes: z.number().int().min(0),
  fetchedAt: z.string(),
  /** JSON text; only when asked for. */
  payload: z.string().optional(),
  /** `raw.cache.read`: the page cursor that continues right after this unit. */
  cursor: z.string().optional(),
});
export type CachedUnit = z.infer<typeof CachedUnit>;
export const CacheFilter = z.strictObject({
  tenantId: CacheId,
  integrationId: CacheId.optional(),
  runId: CacheId.optional(),
  step: z.string().min(1).max(200).optional(),
  stream: z.string().min(1).max(200).optional(),
  parentKey: z.string().min(1).max(500).optional(),
  statuses: z.array(CachedUnit.shape.status).min(1).max(5).optional(),
  fetchedFrom: z.iso.datetime({ offset: true }).optional(),
  fetchedBefore: z.iso.datetime({ offset: true }).optional(),
  text: z.string().trim().min(1).max(500).optional(),
});
export const CacheStats = z.strictObject({ units: z.number().int().min(0), bytes: z.number().int().min(0), search: z.enum(['fts5', 'like']) });

export const taskDefs = {
  /** Dead letters of one tenant (and unreadable ones) from the head of the queue, left in the queue. */
  'deadLetters.list': {
    input: z.strictObject({ ...DeadLetterScope, limit: z.number().int().min(1).max(1000).default(200) }),
    output: z.strictObject({ total: z.number().int().min(0), scanned: z.number().int().min(0), items: z.array(DeadLetterItem) }),
  },
  /** Requeue or discard the selected dead letters of one tenant; another tenant's letters are skipped. */
  'deadLetters.act': {
    input: z.strictObject({
      ...DeadLetterScope,
      action: z.enum(['requeue', 'discard']),
      ids: z.union([z.literal('all'), z.array(z.string().min(1).max(200)).min(1).max(1000)]),
    }),
    output: z.strictObject({
      requeued: z.number().int().min(0),
      discarded: z.number().int().min(0),
      notFound: z.array(z.string()),
      skipped: z.array(z.string()),
    }),
  },
  /**
   * The real transform on raw payloads with the integration's current mappings, writing nothing: the
   * CLI `sluice transform` and the raw inspector's preview. Mappings are read from Postgres when a
   * database and integration are given (the thread connects itself; the URL carries credentials, so it
   * travels like the token: workerData only); otherwise nothing is mapped and every value is flagged.
   */
  'transform.preview': {
    input: z.strictObject({
      /** A connector name (`jira`, `github`, ...). */
      connector: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
      units: z.array(PreviewUnit).min(1).max(5000),
      mappingsFrom: z.strictObject({ databaseUrl: z.string().min(1), integrationId: z.number().int().positive() }).nullable().default(null),
    }),
    output: z.strictObject({
      mappingsUsed: z.boolean(),
      units: z.array(z.strictObject({ tables: PreviewTables, error: z.string().nullable() })),
    }),
  },
  /** A page of cached units matching the inspector's filters, newest first (read-only; the file is never changed). */
  'raw.cache.read': {
    input: z.strictObject({
      path: CachePath,
      filter: CacheFilter,
      cursor: z.string().max(300).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      withPayloads: z.boolean().default(false),
      withTotal: z.boolean().default(false),
    }),
    output: z.strictObject({ units: z.array(CachedUnit), nextCursor: z.string().nullable(), total: z.number().int().min(0).nullable(), stats: CacheStats }),
  },
  /** One cached unit with its payload, or null when this machine never cached it (read-only). */
  'raw.cache.get': {
    input: z.strictObject({ path: CachePath, tenantId: CacheId, rawId: CacheId }),
    output: z.strictObject({ unit: CachedUnit.nullable(), stats: CacheStats }),
  },
  /** What the cached units cover, for the inspector's filter pickers offline (read-only). */
  'raw.cache.facets': {
    input: z.strictObject({ path: CachePath, tenantId: CacheId }),
    output: z.strictObject({
      runs: z.array(z.strictObject({ runId: CacheId, integrationId: CacheId, units: z.number().int().min(0), failed: z.number().int().min(0), newest: z.string() })),
      streams: z.array(z.strictObject({ integrationId: CacheId, step: z.string(), stream: z.string() })),
      stats: CacheStats,
    }),
  },
  /** Stores units the inspector opened online, so they can be read offline later (the cache budget applies). */
  'raw.cache.put': {
    input: z.strictObject({
      path: CachePath,
      units: z
        .array(
          z.strictObject({
            rawId: CacheId,
            tenantId: CacheId,
            integrationId: CacheId,
            runId: CacheId,
            step: z.string().min(1).max(200),
            stream: z.string().min(1).max(200),
            requestUrl: z.string().min(1).max(8192),
            requestParams: z.record(z.string(), z.unknown()),
            parentKey: z.string().min(1).max(500).nullable(),
            status: CachedUnit.shape.status,
            recordCount: z.number().int().min(0),
            payload: z.string(),
            fetchedAt: z.iso.datetime({ offset: true }),
          }),
        )
        .min(1)
        .max(500),
    }),
    output: z.strictObject({ written: z.number().int().min(0), evicted: z.number().int().min(0) }),
  },
  /** The provider's checks in order (authentication first), each saying what works and what does not. */
  'integration.test': {
    input: z.strictObject({ connection: TaskConnection, ...RequestTimeout }),
    output: z.strictObject({ checks: z.array(CheckResult).min(1) }),
  },
  /** Every project the Jira account can see (paged through, capped), for the project-keys picker. */
  'jira.projects': {
    input: z.strictObject({ connection: JiraConnection, limit: z.number().int().min(1).max(5000).default(1000), ...RequestTimeout }),
    output: z.strictObject({ projects: z.array(z.strictObject({ key: z.string(), name: z.string() })), truncated: z.boolean() }),
  },
  /**
   * Custom-field discovery for the Mappings hub: `GET /rest/api/3/field` through the integration, and
   * the Jira connector's own `fields` transform on the answer, so the rows are exactly those a run's
   * fields step loads into custom_fields. Nothing is written here: the engine stores the answer as a
   * raw unit and upserts the rows with it as their lineage, in one tenant-scoped transaction.
   */
  'jira.fields': {
    input: z.strictObject({ connection: JiraConnection, ...RequestTimeout }),
    output: z.strictObject({
      requestUrl: z.string(),
      /** Jira's answer as received (FieldDetails[]), to keep as the raw unit. */
      payload: z.array(z.unknown()),
      rows: z.array(
        z.strictObject({
          external_id: z.string().min(1).max(255),
          name: z.string(),
          field_type: z.string().nullable(),
          custom: z.boolean(),
          schema: z.record(z.string(), z.unknown()).nullable(),
        }),
      ),
    }),
  },
  /**
   * Semantic search for the Vectors screen: embed the query with the tenant's embedder, ask each kind's
   * collection for its nearest points (filtered to the tenant). `vectors` carries the Qdrant and
   * embedding keys, like a connection's token: workerData only.
   */
  'vectors.search': {
    input: z.strictObject({
      vectors: VectorSettings,
      tenantId: z.number().int().positive(),
      query: z.string().min(1).max(500),
      entities: z.array(LoadedEntity).min(1),
      integrationId: z.number().int().positive().nullable(),
      limit: z.number().int().min(1).max(100),
    }),
    output: z.strictObject({
      hits: z.array(z.strictObject({ entity: LoadedEntity, recordId: z.number().int().positive(), integrationId: z.number().int().positive(), key: z.string(), title: z.string(), score: z.number() })),
      embedder: z.string(),
    }),
  },
} as const;

export type TaskName = keyof typeof taskDefs;
export type TaskInput<T extends TaskName> = z.input<(typeof taskDefs)[T]['input']>;
export type TaskParsedInput<T extends TaskName> = z.output<(typeof taskDefs)[T]['input']>;
export type TaskOutput<T extends TaskName> = z.output<(typeof taskDefs)[T]['output']>;

export const TaskNameSchema = z.enum(Object.keys(taskDefs) as [TaskName, ...TaskName[]]);

/** `workerData` of a task thread. `input` is checked against the task's own schema in the thread. */
export const TaskRequest = z.strictObject({
  protocol: z.literal(TASK_PROTOCOL_VERSION),
  task: TaskNameSchema,
  input: z.unknown(),
});
export type TaskRequest = z.infer<typeof TaskRequest>;

/**
 * The one message a task thread posts. `error.kind`: `input` (the request failed its schema: an
 * engine bug or version skew), `failed` (the task ran and failed; the message says why and what to do).
 */
export const TaskReply = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), output: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: z.strictObject({ kind: z.enum(['input', 'failed']), message: z.string() }) }),
]);
export type TaskReply = z.infer<typeof TaskReply>;
