import type pg from 'pg';

import { VECTORIZE_MESSAGE_VERSION, type StageMessage, type VectorizeMessage, type VectorizeMessageV2 } from '../../shared/queue/messages';
import { collectionName, LOADED_ENTITIES, VECTOR_ENTITIES, VectorEntity } from '../../shared/vectors/entities';
import { inTransaction } from '../pipeline/units';
import type { HandlerContext } from '../queue/consumer';
import { PermanentError } from '../queue/errors';
import type { Publisher } from '../queue/publisher';
import { confirmVectors, forgetCollection, idsToReembed, recordUnitVectorized, recordVectors, rowsById, rowsOfUnit, type Candidate } from './bridge';
import type { Embedder } from './embedders';
import type { VectorStore } from './qdrant';

/**
 * The vectorize stage handler. Jobs (shared/queue/messages.ts, VectorizeMessage):
 * - `unit` (published by load after each unit): the rows that unit loaded, in every loaded table;
 * - `entities`: rows by id (what a re-embed fans out to, and what a Mappings hub change queues);
 * - `reembed`: lists the rows of a kind that need a vector (or all of them) and publishes `entities`
 *   jobs of at most ENTITY_BATCH ids, so a big re-embed spreads over the pool and retries in small parts.
 *
 * Per row: the text (texts.ts) and its hash; a row whose hash, embedder and collection match the bridge
 * row is not embedded again, only its lineage moves on. The others are embedded in batches; each batch
 * is written in one transaction: the bridge rows first (which locks them and applies the version rule),
 * then the points of the rows that won, then the commit. A crash between the point upsert and the
 * commit leaves a point newer than its bridge row, which the next job for that row repairs (the hash
 * differs); the reverse (a bridge row claiming a point that was never written) cannot happen.
 * Everything is idempotent, so a redelivered job only repeats work.
 */

export const ENTITY_BATCH = 200;
/** Rows embedded and written per transaction (Qdrant upserts of ~100 points are its sweet spot). */
export const WRITE_BATCH = 100;

export interface VectorizeDeps {
  readonly pool: pg.Pool;
  readonly publisher: Publisher;
  readonly store: VectorStore;
  readonly embedder: Embedder;
  readonly collectionPrefix: string;
  /** A unit of this run was vectorized (the stage's live progress: the job cards' vectorize circle). */
  readonly onUnitDone?: (runId: number) => void;
}

export interface VectorizeOutcome {
  embedded: number;
  confirmed: number;
  /** Rows whose newer version was already embedded by another job. */
  superseded: number;
}

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** A v1 message (entity + ids, within a run) as the rows it names. */
const fromV1 = (m: Extract<VectorizeMessage, { v: 1 }>): { entity: VectorEntity; ids: number[]; runId: number; step: string } => {
  const entity = VectorEntity.safeParse(m.entity);
  if (!entity.success) throw new PermanentError(`Cannot vectorize "${m.entity}": only ${VECTOR_ENTITIES.join(', ')} are embedded; the message is wrong.`);
  return { entity: entity.data, ids: m.ids, runId: m.runId, step: m.stepKey };
};

export const createVectorizeHandler = (deps: VectorizeDeps) => {
  const { pool, publisher, store, embedder } = deps;

  const vectorizeRows = async (
    tenantId: number,
    entity: VectorEntity,
    candidates: readonly Candidate[],
    options: { force: boolean; runId: number | null; step: string | null; signal?: AbortSignal },
  ): Promise<VectorizeOutcome> => {
    const collection = collectionName(deps.collectionPrefix, tenantId, entity);
    const upToDate = (c: Candidate): boolean => !!c.stored && c.stored.hash === c.hash && c.stored.embedder === embedder.id && c.stored.collection === collection;
    const unchanged = options.force ? [] : candidates.filter(upToDate);
    const toEmbed = options.force ? [...candidates] : candidates.filter((c) => !upToDate(c));
    const outcome: VectorizeOutcome = { embedded: 0, confirmed: 0, superseded: 0 };
    if (unchanged.length > 0) {
      await confirmVectors(pool, { tenantId, entity, runId: options.runId, step: options.step }, unchanged);
      outcome.confirmed += unchanged.length;
    }
    for (const batch of chunks(toEmbed, WRITE_BATCH)) {
      const vectors = await embedder.embed(batch.map((c) => c.text), options.signal);
      const dimensions = vectors[0]!.length;
      await store.ensureCollection(collection, dimensions, entity);
      await inTransaction(pool, tenantId, async (client) => {
        const won = await recordVectors(client, { tenantId, entity, collection, embedder: embedder.id, dimensions, runId: options.runId, step: options.step }, batch);
        const points = batch.flatMap((c, i) =>
          won.has(c.id) ? [{ id: c.id, vector: vectors[i]!, payload: { tenant_id: tenantId, integration_id: c.integrationId, entity, key: c.key, record_id: c.id, title: c.title, text_hash: c.hash } }] : [],
        );
        await store.upsert(collection, points);
        outcome.embedded += points.length;
        outcome.superseded += batch.length - points.length;
      });
    }
    return outcome;
  };

  const unit = async (m: Extract<VectorizeMessageV2, { op: 'unit' }>, signal: AbortSignal): Promise<VectorizeOutcome> => {
    const res = await pool.query<{ tenant_id: number; integration_id: string; status: string; source_id: string; reprocess_count: number }>(
      'SELECT tenant_id, integration_id, status, coalesce(replay_of, id) AS source_id, reprocess_count FROM raw_extraction_data WHERE id = $1',
      [m.rawId],
    );
    const total: VectorizeOutcome = { embedded: 0, confirmed: 0, superseded: 0 };
    const row = res.rows[0];
    if (!row) return total; // deleted by retention, or with its integration: nothing left to embed
    if (row.tenant_id !== m.tenantId || Number(row.integration_id) !== m.integrationId) {
      throw new PermanentError(`Raw unit ${m.rawId} does not belong to tenant ${m.tenantId}, integration ${m.integrationId} as the message says; the message is wrong.`);
    }
    if (row.status !== 'loaded') return total; // skipped (cancelled run) or failed: it loaded nothing
    for (const entity of LOADED_ENTITIES) {
      const rows = await rowsOfUnit(pool, entity, m.tenantId, m.integrationId, Number(row.source_id));
      const o = await vectorizeRows(m.tenantId, entity, rows, { force: false, runId: m.runId, step: m.stepKey, signal });
      total.embedded += o.embedded;
      total.confirmed += o.confirmed;
      total.superseded += o.superseded;
    }
    await recordUnitVectorized(pool, { rawId: m.rawId, tenantId: m.tenantId, runId: m.runId, step: m.stepKey, reprocessCount: row.reprocess_count }, total);
    deps.onUnitDone?.(m.runId);
    return total;
  };

  const reembed = async (m: Extract<VectorizeMessageV2, { op: 'reembed' }>, ctx: HandlerContext): Promise<number> => {
    const collection = collectionName(deps.collectionPrefix, m.tenantId, m.entity);
    if (m.scope === 'all') {
      // A collection of another size cannot take the new vectors: drop it and its bridge rows first.
      const [probe] = await embedder.embed(['dimension probe'], ctx.signal);
      const size = await store.sizeOf(collection);
      if (size !== null && size !== probe!.length) {
        await store.dropCollection(collection);
        await inTransaction(pool, m.tenantId, (client) => forgetCollection(client, m.tenantId, m.entity));
      }
    }
    const ids = await idsToReembed(pool, m.entity, m.tenantId, m.integrationId, m.scope, { embedder: embedder.id, collection });
    const jobs = chunks(ids, ENTITY_BATCH);
    await Promise.all(
      jobs.map((part) =>
        publisher.publishStage(
          'vectorize',
          { v: VECTORIZE_MESSAGE_VERSION, kind: 'vectorize', op: 'entities', tenantId: m.tenantId, entity: m.entity, ids: part, force: m.scope === 'all', attempt: 1 },
          { messageId: `vectorize-${m.requestId}-${m.entity}-${part[0]}`.slice(0, 200) },
        ),
      ),
    );
    return ids.length;
  };

  return async (message: StageMessage, ctx: HandlerContext): Promise<void> => {
    if (message.kind !== 'vectorize') throw new PermanentError(`The vectorize handler got a ${message.kind} message; it only runs in the vectorize stage.`);
    if (message.v === 1) {
      const { entity, ids, runId, step } = fromV1(message);
      await vectorizeRows(message.tenantId, entity, await rowsById(pool, entity, message.tenantId, ids), { force: false, runId, step, signal: ctx.signal });
      return;
    }
    switch (message.op) {
      case 'unit':
        await unit(message, ctx.signal);
        return;
      case 'entities':
        await vectorizeRows(message.tenantId, message.entity, await rowsById(pool, message.entity, message.tenantId, message.ids), { force: message.force, runId: null, step: null, signal: ctx.signal });
        return;
      case 'reembed':
        await reembed(message, ctx);
        return;
    }
  };
};
