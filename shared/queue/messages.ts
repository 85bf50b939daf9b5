import { z } from 'zod';

import { VectorEntity } from '../vectors/entities';
import { Stage } from '../worker-protocol/protocol';

/**
 * Stage messages: **ids only**. Raw payloads live in `raw_extraction_data` (and the local cache);
 * a message says which unit to work on, never carries it (DESIGN.md section 4). Secrets never travel
 * here either. Every message is versioned (`v`); a consumer dead-letters a message that does not parse
 * (reason `invalid_message`) instead of guessing.
 *
 * Compatibility rule: adding an optional field keeps `v: 1`; anything else is `v: 2`, with consumers
 * accepting both during a rollout. `v` is per message kind (vectorize is at 2); the `x-sluice-v`
 * header is the version of the header set and stays 1.
 */
export const MESSAGE_VERSION = 1;

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Key = z.string().min(1).max(200);

/** Fields every stage message has: whose work it is, which run and step, and the attempt number. */
const base = {
  v: z.literal(MESSAGE_VERSION),
  tenantId: Id,
  integrationId: Id,
  runId: Id,
  stepKey: Key,
  /** 1 on first publish; the consumer republishes with attempt + 1 after a failure. */
  attempt: z.number().int().min(1).max(1000),
};

/** Fetch one page (or unit) of a stream; the result is stored as one raw row, then `transform` is published. */
export const ExtractMessage = z.strictObject({
  ...base,
  kind: z.literal('extract'),
  stream: Key,
  /** Partition of the stream, e.g. a repository full name or a Jira board id; null when unpartitioned. */
  partition: z.string().min(1).max(500).nullable(),
  /** Opaque page token for the connector's paginator; null for the first page. Never a payload. */
  cursor: z.string().max(4096).nullable(),
});

/** Transform the raw row `rawId` into unified rows. */
export const TransformMessage = z.strictObject({
  ...base,
  kind: z.literal('transform'),
  rawId: Id,
});

/** Load the unified rows produced from raw row `rawId`. */
export const LoadMessage = z.strictObject({
  ...base,
  kind: z.literal('load'),
  rawId: Id,
});

/**
 * Version 1 of the vectorize message: embed unified rows of one table by primary key. Still accepted
 * (the `noop` handler forwards it in benchmarks); the vectorize handler reads it as an `entities` job.
 */
export const VectorizeMessageV1 = z.strictObject({
  ...base,
  kind: z.literal('vectorize'),
  /** Unified table name, e.g. `work_items`. */
  entity: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
  ids: z.array(Id).min(1).max(1000),
  /** Lineage back to the raw row, when the rows came from one. */
  rawId: Id.nullable(),
});

/**
 * Version 2: a vectorize job that need not belong to a run (a re-embed asked from the console has
 * none), so `integrationId`, `runId` and `stepKey` moved into the jobs that have them. A breaking
 * change, hence v2 (the compatibility rule above); the consumer accepts both versions.
 */
export const VECTORIZE_MESSAGE_VERSION = 2;
const vectorizeV2 = {
  v: z.literal(VECTORIZE_MESSAGE_VERSION),
  kind: z.literal('vectorize'),
  tenantId: Id,
  attempt: base.attempt,
};
export const VectorizeMessageV2 = z.discriminatedUnion('op', [
  /** After load: embed what raw unit `rawId` loaded (the rows whose lineage is that unit or its original). */
  z.strictObject({ ...vectorizeV2, op: z.literal('unit'), integrationId: Id, runId: Id, stepKey: Key, rawId: Id }),
  /** Embed these rows of one entity kind; `force` re-embeds even when their text did not change. */
  z.strictObject({ ...vectorizeV2, op: z.literal('entities'), entity: VectorEntity, ids: z.array(Id).min(1).max(500), force: z.boolean() }),
  /**
   * Re-embed a kind for the tenant (one integration, or all when null): `missing` publishes the rows
   * without a current vector, `all` every row (forced; a collection of the wrong size is recreated).
   */
  z.strictObject({ ...vectorizeV2, op: z.literal('reembed'), entity: VectorEntity, scope: z.enum(['missing', 'all']), integrationId: Id.nullable(), requestId: Key }),
]);
export const VectorizeMessage = z.discriminatedUnion('v', [VectorizeMessageV1, VectorizeMessageV2]);

export const StageMessage = z.discriminatedUnion('kind', [ExtractMessage, TransformMessage, LoadMessage, VectorizeMessage]);
export type ExtractMessage = z.infer<typeof ExtractMessage>;
export type TransformMessage = z.infer<typeof TransformMessage>;
export type LoadMessage = z.infer<typeof LoadMessage>;
export type VectorizeMessage = z.infer<typeof VectorizeMessage>;
export type VectorizeMessageV2 = z.infer<typeof VectorizeMessageV2>;
export type StageMessage = z.infer<typeof StageMessage>;

/** The schema a stage's queue accepts; its `kind` is the stage name. */
export const stageMessageSchemas = {
  extract: ExtractMessage,
  transform: TransformMessage,
  load: LoadMessage,
  vectorize: VectorizeMessage,
} as const satisfies Record<Stage, z.ZodType>;
export type MessageOf<S extends Stage> = z.infer<(typeof stageMessageSchemas)[S]>;

/**
 * AMQP headers Sluice sets and reads. Unknown headers (e.g. the broker's `x-death`) pass through.
 * Timestamps are ISO strings (AMQP timestamps are whole seconds).
 */
export const HEADER = {
  version: 'x-sluice-v',
  publishedAt: 'x-sluice-published-at',
  firstFailureAt: 'x-sluice-first-failure-at',
  lastError: 'x-sluice-last-error',
  /** How many failures of this message were infrastructure outages (they do not spend attempts). */
  outages: 'x-sluice-outages',
} as const;

const IsoTime = z.iso.datetime({ offset: true });
export const MessageHeaders = z.looseObject({
  [HEADER.version]: z.literal(MESSAGE_VERSION),
  [HEADER.publishedAt]: IsoTime,
  /** Set on the first failure and kept through retries, so the dead letter knows when trouble began. */
  [HEADER.firstFailureAt]: IsoTime.optional(),
  /** The last failure's message (truncated), so a message waiting in a delay queue explains itself. */
  [HEADER.lastError]: z.string().max(1000).optional(),
  [HEADER.outages]: z.number().int().min(0).optional(),
});
export type MessageHeaders = z.infer<typeof MessageHeaders>;

export const DeadLetterReason = z.enum([
  /** Not JSON, or not the stage's schema: dead-lettered at once, never retried. */
  'invalid_message',
  /** The handler threw a PermanentError. */
  'permanent_error',
  /** The handler kept failing until the retry budget (maxAttempts) was spent. */
  'retries_exhausted',
  /** The broker dead-lettered it after x-delivery-limit deliveries (the worker died on it repeatedly). */
  'delivery_limit',
  /** The broker dead-lettered it for another reason (rejected, expired, maxlen). */
  'broker',
]);
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;

/**
 * The body of a message in the dead-letter queue. The original is kept byte for byte (as UTF-8 text;
 * a body that is not valid UTF-8 is base64) with its headers, so it can be requeued after a fix.
 */
export const DeadLetterEnvelope = z.strictObject({
  v: z.literal(MESSAGE_VERSION),
  kind: z.literal('dead_letter'),
  /** Stable id of this dead letter (used to requeue or discard it). */
  id: z.string().min(1).max(200),
  reason: DeadLetterReason,
  /** The stage it was consumed from; null only when the broker gave no way to tell. */
  stage: Stage.nullable(),
  /** Attempts made (1 = failed on its first try, 0 = never handled, e.g. invalid). */
  attempts: z.number().int().min(0),
  firstFailureAt: IsoTime,
  lastFailureAt: IsoTime,
  error: z.strictObject({ name: z.string().max(200), message: z.string().max(4000) }).nullable(),
  /** Schema problems for `invalid_message`, one line each. */
  issues: z.array(z.string().max(500)).max(50),
  original: z.strictObject({
    messageId: z.string().max(200).nullable(),
    routingKey: z.string().max(255),
    headers: z.record(z.string(), z.unknown()),
    body: z.string(),
    bodyEncoding: z.enum(['utf8', 'base64']),
  }),
});
export type DeadLetterEnvelope = z.infer<typeof DeadLetterEnvelope>;
