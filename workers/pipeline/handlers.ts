import type pg from 'pg';

import type { ExtractMessage, LoadMessage, StageMessage, TransformMessage } from '../../shared/queue/messages';
import { markExtractionDone, saveCheckpoint, tryCompleteRun } from '../accounting/run-accounting';
import type { HandlerContext } from '../queue/consumer';
import { PermanentError, toError } from '../queue/errors';
import type { Publisher } from '../queue/publisher';
import { TransformOutput } from './connector';
import { pageKeyOf } from './page-key';
import { connectorFor } from './connectors';
import { cachePage, fetchExtractPage, type ExtractServices } from './extract-services';
import { inTransaction, insertUnit, markFailed, markLoaded, markTransformed, readRun, readUnit, type Unit, type UnitError } from './units';

/**
 * The extract, transform and load stage handlers (DESIGN.md section 4). Each one:
 * - is idempotent: inserts are keyed by page, status changes are guarded by the status they leave,
 *   loads are upserts on natural keys, so any message may be delivered twice;
 * - does its database work in one transaction, publishes the next stage's message only after the
 *   commit, and resolves (so the consumer acks) only after that publish is confirmed. A crash at any
 *   point leaves the message unacked; its redelivery finds the committed state and carries on from it
 *   (e.g. a transform that finds its unit already `transformed` publishes the load again);
 * - calls the run's completion check after its commit, so whichever unit finishes last ends the run.
 * A unit that can never be processed (PermanentError, or the last retry failed) is marked `failed`
 * with the reason before the error goes back to the consumer, which dead-letters the message.
 */

export interface PipelineHooks {
  /** Called after a stage's commit and before its publish; tests use it to kill the thread right there. */
  afterCommit?(stage: 'extract' | 'transform' | 'load', ctx: HandlerContext): Promise<void>;
}

export interface PipelineDeps {
  readonly pool: pg.Pool;
  readonly publisher: Publisher;
  /** The topology's retry budget: a failure on this attempt is the last one (the message is dead-lettered). */
  readonly maxAttempts: number;
  readonly hooks?: PipelineHooks;
  /** The shared rate-limit budget and the local raw cache for extract (none: plain fetches, no cache). */
  readonly extract?: ExtractServices;
}

export type PipelineHandler = (message: StageMessage, ctx: HandlerContext) => Promise<void>;

const baseOf = (m: StageMessage) => ({ v: m.v, tenantId: m.tenantId, integrationId: m.integrationId, runId: m.runId, stepKey: m.stepKey, attempt: 1 });

/** The same unit always gets the same message id, so duplicates are recognisable downstream. */
const unitMessageId = (stage: 'transform' | 'load', rawId: number): { messageId: string } => ({ messageId: `${stage}-${rawId}` });

const belongsTo = (unit: Unit, m: TransformMessage | LoadMessage): void => {
  if (unit.integration.tenantId !== m.tenantId || unit.integration.id !== m.integrationId || unit.runId !== m.runId) {
    throw new PermanentError(`Raw unit ${unit.id} does not belong to tenant ${m.tenantId}, integration ${m.integrationId}, run ${m.runId} as the message says; the message is wrong.`);
  }
};

export const createPipelineHandler = (deps: PipelineDeps): PipelineHandler => {
  const { pool, publisher, maxAttempts, hooks, extract: extractServices } = deps;

  /** Marks the unit failed when retrying cannot help or this was the last try, then ends the run if it was the last unit. */
  const failIfFinal = async (m: TransformMessage | LoadMessage, stage: UnitError['stage'], error: Error): Promise<void> => {
    const permanent = error instanceof PermanentError;
    if (!permanent && m.attempt < maxAttempts) return; // the consumer retries it after a delay
    await markFailed(pool, m.rawId, { name: error.name, message: error.message, stage, reason: permanent ? 'permanent_error' : 'retries_exhausted' });
    await tryCompleteRun(pool, m.runId);
  };

  const extract = async (m: ExtractMessage, ctx: HandlerContext): Promise<void> => {
    const run = await readRun(pool, m.runId);
    if (!run) throw new PermanentError(`Run ${m.runId} does not exist; this extract message is stale or wrong.`);
    if (run.integration.tenantId !== m.tenantId || run.integration.id !== m.integrationId) {
      throw new PermanentError(`Run ${m.runId} does not belong to tenant ${m.tenantId} and integration ${m.integrationId} as the message says; the message is wrong.`);
    }
    // cancelled, paused or finished: nothing more to fetch (a resume publishes anew). A rate-limited
    // run goes on: its pages wait for the integration's pause inside fetchExtractPage.
    if (run.state !== 'running' && run.state !== 'rate_limited') return;
    const connector = connectorFor(run.integration);
    const request = { integration: run.integration, step: m.stepKey, stream: m.stream, partition: m.partition, cursor: m.cursor, signal: ctx.signal };
    const page = await fetchExtractPage(pool, extractServices, connector, request, { id: m.runId, state: run.state }, { publisher, message: m, messageId: ctx.messageId });
    if (!page) return; // parked in a delay queue until the integration's rate-limit pause ends
    const fetchedAt = new Date();
    const pageKey = pageKeyOf(m.partition, m.cursor);
    const payloadJson = JSON.stringify(page.payload);
    const rawId = await inTransaction(pool, m.tenantId, async (client) => {
      const unit = await insertUnit(client, {
        tenantId: m.tenantId,
        integrationId: m.integrationId,
        runId: m.runId,
        step: m.stepKey,
        stream: m.stream,
        parentKey: m.partition,
        pageKey,
        requestUrl: page.requestUrl,
        params: page.params,
        payload: page.payload,
        recordCount: page.recordCount,
      });
      // Only a new page moves the checkpoint: a late redelivery of an older page must not rewind it.
      if (unit.inserted) await saveCheckpoint(client, m.runId, m.stepKey, { stream: m.stream, partition: m.partition, after: pageKey, cursor: page.nextCursor });
      return unit.rawId;
    });
    // After the commit: the cache mirrors Postgres and its failures never fail the page.
    const { tenantId, integrationId, runId, stepKey: step, stream, partition: parentKey } = m;
    await cachePage(extractServices, { rawId, tenantId, integrationId, runId, step, stream, parentKey, requestUrl: page.requestUrl, params: page.params, recordCount: page.recordCount, payloadJson, fetchedAt });
    await hooks?.afterCommit?.('extract', ctx);
    const toTransform = publisher.publishStage('transform', { ...baseOf(m), kind: 'transform', rawId }, unitMessageId('transform', rawId));
    if (page.nextCursor !== null) {
      // Both publishes are idempotent downstream and the ack waits for both confirms, so they go out
      // together: extraction of one stream is a serial chain, and one broker round trip less per page
      // is what sets its speed.
      const next: ExtractMessage = { ...m, attempt: 1, cursor: page.nextCursor };
      const toNext = publisher.publishStage('extract', next, { messageId: `extract-${m.runId}-${m.stepKey}-${m.stream}-${pageKey}-next`.slice(0, 200) });
      await Promise.all([toTransform, toNext]);
      return;
    }
    await toTransform;
    // The step has one stream and no partitions so far: its last page ends the step's extraction.
    await markExtractionDone(pool, m.runId, m.stepKey);
    await tryCompleteRun(pool, m.runId);
  };

  const transform = async (m: TransformMessage, ctx: HandlerContext): Promise<void> => {
    const unit = await readUnit(pool, m.rawId);
    if (!unit) throw new PermanentError(`Raw unit ${m.rawId} does not exist (deleted by retention?); there is nothing to transform.`);
    belongsTo(unit, m);
    if (unit.status === 'transformed') {
      // Committed before a crash that lost the load publish: publish it again (load is idempotent).
      await publisher.publishStage('load', { ...baseOf(m), kind: 'load', rawId: m.rawId }, unitMessageId('load', m.rawId));
      return;
    }
    if (unit.status !== 'pending') return; // already loaded, failed or skipped: a redelivery
    let output: TransformOutput;
    try {
      const produced = connectorFor(unit.integration).transform(unit.payload, {
        tenantId: m.tenantId,
        integrationId: m.integrationId,
        step: unit.step,
        stream: unit.stream,
        partition: unit.parentKey,
        integration: unit.integration,
      });
      const parsed = TransformOutput.safeParse(produced);
      if (!parsed.success) throw new PermanentError(`The connector's transform output for raw unit ${m.rawId} is malformed (${parsed.error.issues[0]?.message ?? 'invalid'}); fix the connector.`);
      output = parsed.data;
    } catch (error) {
      await failIfFinal(m, 'transform', toError(error));
      throw error;
    }
    const moved = await markTransformed(pool, m.rawId, output);
    if (!moved) return; // a concurrent duplicate got there first and publishes the load itself
    await hooks?.afterCommit?.('transform', ctx);
    await publisher.publishStage('load', { ...baseOf(m), kind: 'load', rawId: m.rawId }, unitMessageId('load', m.rawId));
  };

  const load = async (m: LoadMessage, ctx: HandlerContext): Promise<void> => {
    try {
      await inTransaction(pool, m.tenantId, async (client) => {
        const unit = await readUnit(client, m.rawId, true);
        if (!unit) throw new PermanentError(`Raw unit ${m.rawId} does not exist (deleted by retention?); there is nothing to load.`);
        belongsTo(unit, m);
        if (unit.status !== 'transformed') return; // loaded already (a redelivery) or failed
        const output = TransformOutput.safeParse(unit.transformed);
        if (!output.success) throw new PermanentError(`Raw unit ${m.rawId} is transformed but its stored output is malformed; re-transform it.`);
        await connectorFor(unit.integration).load(client, output.data, { rawId: m.rawId, tenantId: m.tenantId, integrationId: m.integrationId });
        await markLoaded(client, m.rawId);
      });
    } catch (error) {
      await failIfFinal(m, 'load', toError(error));
      throw error;
    }
    await hooks?.afterCommit?.('load', ctx);
    await tryCompleteRun(pool, m.runId);
  };

  return async (message, ctx) => {
    switch (message.kind) {
      case 'extract':
        return extract(message, ctx);
      case 'transform':
        return transform(message, ctx);
      case 'load':
        return load(message, ctx);
      case 'vectorize':
        throw new PermanentError('The pipeline handler does not vectorize; run the vectorize stage with its own handler.');
    }
  };
};
