// Over 300 lines on purpose: the extract, transform and load handlers share one closure (pool,
// publisher, run mappings, failure and completion paths); the pieces they call live beside it
// (partitions.ts, units.ts, outbox-relay.ts).
import type pg from 'pg';

import type { ExtractMessage, LoadMessage, StageMessage, TransformMessage } from '../../shared/queue/messages';
import { tryCompleteRun } from '../accounting/run-accounting';
import type { HandlerContext } from '../queue/consumer';
import { isInfrastructureOutage, PermanentError, toError } from '../queue/errors';
import type { Publisher } from '../queue/publisher';
import { TransformOutput, type ExtractedPage } from './connector';
import { pageKeyOf } from './page-key';
import { connectorFor } from './connectors';
import type { ExtractCache } from './extract-cache';
import { cachePage, fetchExtractPage, type ExtractServices } from './extract-services';
import { advancePartition, dbPartition, failPartition, findStoredPage, messagePartition, pageStored, partitionsFoundBy, tryFinishStream } from './partitions';
import { RunMappings } from './run-mappings';
import { unitJob } from '../vectorize/jobs';
import { inTransaction, insertFailedUnit, insertUnit, markFailed, markLoaded, markSkipped, markTransformed, readExtractContext, readUnit, type Unit, type UnitError } from './units';

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
  /**
   * Called after every commit that changed a run's figures (a page stored, a unit transformed, loaded,
   * failed or skipped, a run ended): the live-progress publisher coalesces these per run.
   */
  readonly onActivity?: (runId: number, stage: 'extract' | 'transform' | 'load') => void;
  /** The host's local raw cache, to mirror unit statuses after transform and load (none: not mirrored). */
  readonly cache?: ExtractCache | null;
  /** Qdrant is configured: after each load, publish the vectorize job of the unit (WorkerSettings.vectorsEnabled). */
  readonly vectorize?: boolean;
}

export type PipelineHandler = (message: StageMessage, ctx: HandlerContext) => Promise<void>;

const baseOf = (m: ExtractMessage | TransformMessage | LoadMessage) => ({ v: m.v, tenantId: m.tenantId, integrationId: m.integrationId, runId: m.runId, stepKey: m.stepKey, attempt: 1 });

/** The same unit always gets the same message id, so duplicates are recognisable downstream. */
const unitMessageId = (stage: 'transform' | 'load', rawId: number): { messageId: string } => ({ messageId: `${stage}-${rawId}` });

const belongsTo = (unit: Unit, m: TransformMessage | LoadMessage): void => {
  if (unit.integration.tenantId !== m.tenantId || unit.integration.id !== m.integrationId || unit.runId !== m.runId) {
    throw new PermanentError(`Raw unit ${unit.id} does not belong to tenant ${m.tenantId}, integration ${m.integrationId}, run ${m.runId} as the message says; the message is wrong.`);
  }
};

export const createPipelineHandler = (deps: PipelineDeps): PipelineHandler => {
  const { pool, publisher, maxAttempts, hooks, extract: extractServices } = deps;
  const activity = (runId: number, stage: 'extract' | 'transform' | 'load'): void => {
    try {
      deps.onActivity?.(runId, stage);
    } catch {
      // progress is best effort: it never fails a unit
    }
  };
  const runMappings = new RunMappings();

  /** Marks the unit failed when retrying cannot help or this was the last try, then ends the run if it was the last unit. */
  const failIfFinal = async (m: TransformMessage | LoadMessage, stage: UnitError['stage'], error: Error): Promise<void> => {
    const permanent = error instanceof PermanentError;
    if (!permanent && m.attempt < maxAttempts) return; // the consumer retries it after a delay
    if (!permanent && isInfrastructureOutage(error)) return; // never final: retried for as long as the outage lasts
    if (await markFailed(pool, m.rawId, { name: error.name, message: error.message, stage, reason: permanent ? 'permanent_error' : 'retries_exhausted' })) await deps.cache?.setStatus(m.rawId, 'failed');
    await tryCompleteRun(pool, m.runId);
    activity(m.runId, stage === 'load' ? 'load' : 'transform');
  };

  /** Publishes the first page of each partition a stored page found (idempotent downstream: page keys). */
  const publishChildren = async (m: ExtractMessage, children: readonly { step: string; stream: string; partition: string; cursor: string | null }[]): Promise<void> => {
    await Promise.all(
      children.map((c) => {
        const child: ExtractMessage = { ...m, attempt: 1, stepKey: c.step, stream: c.stream, partition: messagePartition(c.partition), cursor: c.cursor };
        return publisher.publishStage('extract', child, { messageId: `extract-${m.runId}-${c.stream}-${c.partition}-first`.slice(0, 200) });
      }),
    );
  };

  /** After a partition's last page: end its stream (and what depends on it) and maybe the run. */
  const afterPartitionDone = async (m: ExtractMessage): Promise<void> => {
    if (await tryFinishStream(pool, m.runId, m.stream)) await tryCompleteRun(pool, m.runId);
    activity(m.runId, 'extract');
  };

  const nextMessage = (m: ExtractMessage, cursor: string, pageKey: string): [ExtractMessage, { messageId: string }] => [
    { ...m, attempt: 1, cursor },
    { messageId: `extract-${m.runId}-${m.stepKey}-${m.stream}-${pageKey}-next`.slice(0, 200) },
  ];

  /**
   * The page is stored already: a redelivery (the worker died after the commit), a duplicate chain
   * (a resume while messages were still queued), or a page parked and retried. Nothing is fetched;
   * what the first delivery should have published is published again, each idempotent downstream, and
   * the next page only if its chain has not moved past it (so duplicate chains die out).
   */
  const replayStoredPage = async (m: ExtractMessage, step: string, stored: { id: number; status: string; nextCursor: string | null }): Promise<void> => {
    const publishes: Promise<unknown>[] = [];
    if (stored.status === 'pending') publishes.push(publisher.publishStage('transform', { ...baseOf(m), kind: 'transform', rawId: stored.id }, unitMessageId('transform', stored.id)));
    const children = (await partitionsFoundBy(pool, stored.id)).filter((c) => !c.started);
    publishes.push(publishChildren(m, children));
    if (stored.nextCursor !== null) {
      const nextKey = pageKeyOf(m.partition, stored.nextCursor);
      if (!(await pageStored(pool, m.runId, step, m.stream, nextKey))) publishes.push(publisher.publishStage('extract', ...nextMessage(m, stored.nextCursor, pageKeyOf(m.partition, m.cursor))));
    }
    await Promise.all(publishes);
    if (stored.nextCursor === null) await afterPartitionDone(m);
  };

  /** The page cannot be fetched and retrying will not help (or this was the last try): store it as failed and end its partition. */
  const failExtract = async (m: ExtractMessage, step: string, error: Error, integration: { readonly baseUrl: string }): Promise<void> => {
    const permanent = error instanceof PermanentError;
    if (!permanent && m.attempt < maxAttempts) return;
    if (isInfrastructureOutage(error)) return; // never final: the consumer keeps retrying through the outage
    const status = (error as { status?: unknown }).status;
    const unitError = { name: error.name, message: error.message, stage: 'extract' as const, reason: permanent ? ('permanent_error' as const) : ('retries_exhausted' as const), ...(typeof status === 'number' ? { status } : {}) };
    await inTransaction(pool, m.tenantId, async (client) => {
      await insertFailedUnit(client, {
        tenantId: m.tenantId,
        integrationId: m.integrationId,
        runId: m.runId,
        step,
        stream: m.stream,
        parentKey: m.partition,
        pageKey: pageKeyOf(m.partition, m.cursor),
        requestUrl: integration.baseUrl,
        params: { stream: m.stream, partition: m.partition, cursor: m.cursor },
      }, unitError);
      await failPartition(client, m.runId, m.stream, m.partition, unitError);
    });
    await afterPartitionDone(m);
  };

  const extract = async (m: ExtractMessage, ctx: HandlerContext): Promise<void> => {
    const pageKey = pageKeyOf(m.partition, m.cursor);
    const context = await readExtractContext(pool, m.runId, m.stream, dbPartition(m.partition), pageKey);
    if (!context) throw new PermanentError(`Run ${m.runId} does not exist; this extract message is stale or wrong.`);
    const { run, partition, stored } = context;
    if (run.integration.tenantId !== m.tenantId || run.integration.id !== m.integrationId) {
      throw new PermanentError(`Run ${m.runId} does not belong to tenant ${m.tenantId} and integration ${m.integrationId} as the message says; the message is wrong.`);
    }
    // cancelled, paused or finished: nothing more to fetch (a resume publishes anew from the saved
    // cursors). A rate-limited run goes on: its pages wait for the integration's pause inside fetchExtractPage.
    if (run.state !== 'running' && run.state !== 'rate_limited') return;
    if (!partition) throw new PermanentError(`Run ${m.runId} has no partition "${m.partition ?? ''}" of stream ${m.stream}; this extract message is stale or wrong.`);
    if (partition.step !== m.stepKey) throw new PermanentError(`Stream ${m.stream} belongs to step ${partition.step} in run ${m.runId}, not ${m.stepKey}; the message is wrong.`);
    if (partition.done) return; // finished (or given up) already: a late duplicate
    if (stored) return replayStoredPage(m, m.stepKey, stored);

    const connector = connectorFor(run.integration);
    let page: ExtractedPage | null;
    try {
      const secret = extractServices?.secrets ? await extractServices.secrets.open(run.integration.id, context.secretSealed) : null;
      const request = {
        integration: run.integration,
        step: m.stepKey,
        stream: m.stream,
        partition: m.partition,
        cursor: m.cursor,
        signal: ctx.signal,
        secret,
        watermark: partition.watermarkFrom,
      };
      page = await fetchExtractPage(pool, extractServices, connector, request, { id: m.runId, state: run.state }, { publisher, message: m, messageId: ctx.messageId });
    } catch (error) {
      await failExtract(m, m.stepKey, toError(error), run.integration);
      throw error;
    }
    if (!page) return; // parked in a delay queue until the integration's rate-limit pause ends
    const fetched = page;
    const fetchedAt = new Date();
    const payloadJson = JSON.stringify(fetched.payload);
    const children = fetched.children ?? [];
    const unit = await inTransaction(pool, m.tenantId, async (client) => {
      const inserted = await insertUnit(client, {
        tenantId: m.tenantId,
        integrationId: m.integrationId,
        runId: m.runId,
        step: m.stepKey,
        stream: m.stream,
        parentKey: m.partition,
        pageKey,
        requestUrl: fetched.requestUrl,
        params: fetched.params,
        payload: fetched.payload,
        recordCount: fetched.recordCount,
        nextCursor: fetched.nextCursor,
        watermark: fetched.watermark ?? null,
      });
      // Only a new page moves the partition: a concurrent duplicate that lost the insert changes nothing.
      if (inserted.inserted) {
        await advancePartition(client, { runId: m.runId, tenantId: m.tenantId, integrationId: m.integrationId, stream: m.stream, partition: m.partition, nextCursor: fetched.nextCursor, rawId: inserted.rawId, children, plan: connector.plan });
      }
      return inserted;
    });
    if (!unit.inserted) {
      // Another delivery of the same page committed first: continue exactly as it recorded.
      const again = await findStoredPage(pool, m.runId, m.stepKey, m.stream, pageKey);
      if (again) return replayStoredPage(m, m.stepKey, again);
      throw new Error(`Page ${pageKey} of run ${m.runId} conflicted on insert but cannot be read back; it will be retried.`);
    }
    const rawId = unit.rawId;
    // After the commit: the cache mirrors Postgres and its failures never fail the page.
    const { tenantId, integrationId, runId, stepKey: step, stream, partition: parentKey } = m;
    activity(m.runId, 'extract');
    await cachePage(extractServices, { rawId, tenantId, integrationId, runId, step, stream, parentKey, requestUrl: fetched.requestUrl, params: fetched.params, recordCount: fetched.recordCount, payloadJson, fetchedAt });
    await hooks?.afterCommit?.('extract', ctx);
    // Transform, the next page and the children go out together: all idempotent downstream, and the
    // ack waits for every confirm. One partition is a serial chain of pages, so one broker round trip
    // less per page is what sets its speed.
    const publishes: Promise<unknown>[] = [publisher.publishStage('transform', { ...baseOf(m), kind: 'transform', rawId }, unitMessageId('transform', rawId))];
    if (fetched.nextCursor !== null) publishes.push(publisher.publishStage('extract', ...nextMessage(m, fetched.nextCursor, pageKey)));
    if (children.length > 0) publishes.push(publishChildren(m, (await partitionsFoundBy(pool, rawId)).filter((c) => !c.started)));
    await Promise.all(publishes);
    if (fetched.nextCursor === null) await afterPartitionDone(m);
  };

  const transform = async (m: TransformMessage, ctx: HandlerContext): Promise<void> => {
    const unit = await readUnit(pool, m.rawId);
    if (!unit) throw new PermanentError(`Raw unit ${m.rawId} does not exist (deleted by retention?); there is nothing to transform.`);
    belongsTo(unit, m);
    if (unit.runState === 'cancelled') {
      if (await markSkipped(pool, m.rawId)) {
        activity(m.runId, 'transform'); // cancel drops the run's queued work
        await deps.cache?.setStatus(m.rawId, 'skipped');
      }
      return;
    }
    if (unit.status === 'transformed') {
      // Committed before a crash that lost the load publish: publish it again (load is idempotent).
      await publisher.publishStage('load', { ...baseOf(m), kind: 'load', rawId: m.rawId }, unitMessageId('load', m.rawId));
      return;
    }
    if (unit.status !== 'pending') return; // already loaded, failed or skipped: a redelivery
    let output: TransformOutput;
    try {
      const connector = connectorFor(unit.integration);
      const mappings = await runMappings.forRun(pool, unit.runId, connector, unit.integration);
      const produced = connector.transform(unit.payload, {
        tenantId: m.tenantId,
        integrationId: m.integrationId,
        step: unit.step,
        stream: unit.stream,
        partition: unit.parentKey,
        integration: unit.integration,
        ...(mappings !== undefined ? { mappings } : {}),
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
    activity(m.runId, 'transform');
    await deps.cache?.setStatus(m.rawId, 'transformed');
    await hooks?.afterCommit?.('transform', ctx);
    await publisher.publishStage('load', { ...baseOf(m), kind: 'load', rawId: m.rawId }, unitMessageId('load', m.rawId));
  };

  const load = async (m: LoadMessage, ctx: HandlerContext): Promise<void> => {
    let outcome: 'loaded' | 'skipped' | null = null;
    try {
      await inTransaction(pool, m.tenantId, async (client) => {
        const unit = await readUnit(client, m.rawId, true);
        if (!unit) throw new PermanentError(`Raw unit ${m.rawId} does not exist (deleted by retention?); there is nothing to load.`);
        belongsTo(unit, m);
        if (unit.runState === 'cancelled') {
          if (await markSkipped(client, m.rawId)) outcome = 'skipped';
          return;
        }
        if (unit.status !== 'transformed') return; // loaded already (a redelivery) or failed
        const output = TransformOutput.safeParse(unit.transformed);
        if (!output.success) throw new PermanentError(`Raw unit ${m.rawId} is transformed but its stored output is malformed; re-transform it.`);
        await connectorFor(unit.integration).load(client, output.data, { rawId: unit.sourceId, tenantId: m.tenantId, integrationId: m.integrationId });
        if (await markLoaded(client, m.rawId)) outcome = 'loaded';
      });
    } catch (error) {
      await failIfFinal(m, 'load', toError(error));
      throw error;
    }
    if (outcome) await deps.cache?.setStatus(m.rawId, outcome);
    await hooks?.afterCommit?.('load', ctx);
    await tryCompleteRun(pool, m.runId);
    activity(m.runId, 'load');
    // Vectors lag behind the load and never hold up the run, so the run is completed first: a slow or
    // failing publish here cannot keep a finished run open. Published on redeliveries too (the first
    // publish may have been lost); the stage checks the unit is loaded and skips unchanged texts, so a
    // duplicate costs nothing.
    if (deps.vectorize) await publisher.publishStage('vectorize', unitJob(m), { messageId: `vectorize-${m.rawId}` });
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
