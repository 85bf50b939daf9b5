import type pg from 'pg';
import { Redis } from 'ioredis';
import type pino from 'pino';
import { z } from 'zod';

import { planFor } from '../../../shared/connectors';
import type { RunCounters, RunProgress } from '../../../shared/contract/runs';
import { isTerminal, RunState } from '../../../shared/domain/run-state';
import { PROGRESS_CHANNEL, ProgressEvent } from '../../../shared/worker-protocol/progress';
import type { EventHub } from '../events';
import { appendRunLog } from './logs';
import { readBudget, vectorizeCounts } from './progress-reads';
import { stepCounters } from './read';

/**
 * Live progress (DESIGN.md section 5): worker threads send "run changed" signals, coalesced per run
 * (Redis pub/sub across hosts, or the worker protocol without Redis); the engine coalesces them
 * again per run (at most `perSecond`, first at once, last always), reads the counters from Postgres
 * (sluice_run_counters: derived from the raw units, nothing is written per record), adds rates and
 * the rate-limit state, and pushes the contract's `runs.progress` to every console. It also writes
 * the run log lines that follow from what it sees: failed units with their errors, and the end.
 */

const RATE_WINDOW_MS = 5_000;

interface Sample {
  readonly at: number;
  readonly steps: ReadonlyMap<string, { extracted: number; loaded: number }>;
}

interface Slot {
  lastSentAt: number;
  timer: NodeJS.Timeout | null;
  dirty: boolean;
  busy: boolean;
  samples: Sample[];
  lastFailed: number;
  lastState: RunState | null;
}

const RunRow = z.object({
  tenant_id: z.coerce.number(),
  job_id: z.coerce.number().nullable(),
  integration_id: z.coerce.number(),
  state: RunState,
  rate_limited_until: z.date().nullable(),
  provider: z.string(),
  settings: z.record(z.string(), z.unknown()),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
});

export interface ProgressFeedOptions {
  readonly logger: pino.Logger;
  /** Events per second per run pushed to consoles (default 4). */
  readonly perSecond?: number;
  /** Subscribe to the workers' signals in Redis (none: they arrive through `signal`, from the supervisor). */
  readonly redisUrl?: string | null;
  /** The deployment's key prefix (the workers use their topology prefix). */
  readonly keyPrefix?: string;
  /** Qdrant is configured: steps carry the vectorize stage's counts (null otherwise: the stage is off). */
  readonly vectorsEnabled?: boolean;
}

const ZERO: RunCounters = { units: 0, extracted: 0, transformed: 0, loaded: 0, failed: 0, skipped: 0, pending: 0 };

export class ProgressFeed {
  private readonly slots = new Map<number, Slot>();
  private readonly intervalMs: number;
  private subscriber: Redis | null = null;
  /** Reads the integrations' shared budgets (the workers' Redis token buckets); null without Redis. */
  private commands: Redis | null = null;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly hub: EventHub,
    private readonly options: ProgressFeedOptions,
  ) {
    this.intervalMs = Math.ceil(1000 / (options.perSecond ?? 4));
  }

  async start(): Promise<void> {
    if (!this.options.redisUrl) return;
    const channel = `${this.options.keyPrefix ?? ''}${PROGRESS_CHANNEL}`;
    const client = new Redis(this.options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: null, connectionName: 'sluice-engine-progress' });
    client.on('error', () => undefined);
    client.on('message', (ch: string, message: string) => {
      if (ch !== channel) return;
      try {
        this.signal(ProgressEvent.parse(JSON.parse(message)));
      } catch {
        // another version or a bug: dropped (the next signal of the run carries the same news)
      }
    });
    this.subscriber = client;
    this.commands = new Redis(this.options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 2_000, connectionName: 'sluice-engine-budgets' });
    this.commands.on('error', () => undefined);
    try {
      await client.connect();
      await client.subscribe(channel);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'live progress from Redis is unavailable; consoles get progress when runs change state');
    }
  }

  /** A worker's signal (from Redis or the supervisor). */
  signal(event: ProgressEvent): void {
    this.touch(event.runId);
  }

  /** Something changed for this run (a worker signal, a control, a start): push fresh progress soon. */
  touch(runId: number): void {
    if (this.closed) return;
    let slot = this.slots.get(runId);
    if (!slot) {
      if (this.slots.size > 500) this.prune();
      slot = { lastSentAt: 0, timer: null, dirty: false, busy: false, samples: [], lastFailed: 0, lastState: null };
      this.slots.set(runId, slot);
    }
    slot.dirty = true;
    this.schedule(runId, slot);
  }

  /** Tells consoles to refetch a job (created, changed, a run of it started or ended). */
  jobChanged(tenantId: number, jobId: number, reason: string): void {
    this.hub.publish('jobs.changed', { tenantId, jobId, reason });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots.values()) if (slot.timer) clearTimeout(slot.timer);
    await Promise.all(this.inFlight);
    this.subscriber?.disconnect();
    this.commands?.disconnect();
  }

  private schedule(runId: number, slot: Slot): void {
    if (slot.timer || slot.busy) return; // a send is due (or running) and will see `dirty`
    const dueIn = slot.lastSentAt + this.intervalMs - Date.now();
    if (dueIn <= 0) this.send(runId, slot);
    else {
      slot.timer = setTimeout(() => {
        slot.timer = null;
        this.send(runId, slot);
      }, dueIn);
      slot.timer.unref();
    }
  }

  private send(runId: number, slot: Slot): void {
    if (!slot.dirty || this.closed) return;
    slot.dirty = false;
    slot.busy = true;
    const p = this.push(runId, slot)
      .catch((error: unknown) => this.options.logger.warn({ err: error, runId }, 'run progress could not be read'))
      .finally(() => {
        // Measured from the push, not its start: consoles see at most `perSecond` events, however long the reads took.
        slot.lastSentAt = Date.now();
        slot.busy = false;
        this.inFlight.delete(p);
        if (slot.dirty) this.schedule(runId, slot);
      });
    this.inFlight.add(p);
  }

  /**
   * The run's progress as pushed, read now (for a console that opens after the last push, e.g. a
   * finished run whose vectors are still catching up); null when there is no such run. Rates are 0:
   * they need the samples of a live feed.
   */
  async progressOf(runId: number): Promise<RunProgress | null> {
    return (await this.read(runId, null))?.payload ?? null;
  }

  private async read(runId: number, slot: Slot | null): Promise<{ payload: RunProgress; run: z.infer<typeof RunRow> } | null> {
    const res = await this.pool.query(
      `SELECT r.tenant_id, r.job_id, r.integration_id, r.state, r.rate_limited_until, r.started_at, r.finished_at, i.provider, i.settings
         FROM runs r JOIN integrations i ON i.id = r.integration_id WHERE r.id = $1`,
      [runId],
    );
    if (res.rowCount === 0) return null;
    const run = RunRow.parse(res.rows[0]);
    const plan = planFor(run);
    const counters = await stepCounters(this.pool, runId);
    const done = await this.pool.query<{ step: string; done: boolean }>('SELECT step, extraction_done_at IS NOT NULL AS done FROM run_steps WHERE run_id = $1', [runId]);
    const doneBy = new Map(done.rows.map((r) => [r.step, r.done]));
    const vectorized = this.options.vectorsEnabled ? await vectorizeCounts(this.pool, runId) : null;
    const now = Date.now();
    const sample: Sample = { at: now, steps: new Map([...counters].map(([step, c]) => [step, { extracted: c.extracted, loaded: c.loaded }])) };
    if (slot) slot.samples = [...slot.samples.filter((s) => now - s.at <= RATE_WINDOW_MS), sample];
    const oldest = slot?.samples[0] ?? sample;
    const seconds = (now - oldest.at) / 1000;
    const rate = (step: string, key: 'extracted' | 'loaded'): number => {
      if (seconds <= 0 || isTerminal(run.state)) return 0;
      const before = oldest.steps.get(step)?.[key] ?? 0;
      return Math.max(0, Math.round(((sample.steps.get(step)?.[key] ?? 0) - before) / seconds * 10) / 10);
    };
    const order = plan?.steps.map((s) => s.key) ?? [...counters.keys()];
    const labels = new Map(plan?.steps.map((s) => [s.key, s.label]) ?? []);
    const steps = order.filter((k) => counters.has(k)).map((step) => ({
      step,
      label: labels.get(step) ?? step,
      ...(counters.get(step) ?? ZERO),
      extractionDone: doneBy.get(step) ?? false,
      extractedPerSec: rate(step, 'extracted'),
      loadedPerSec: rate(step, 'loaded'),
      vectorize: vectorized ? (vectorized.get(step) ?? { units: 0, ofUnits: 0, entities: 0 }) : null,
    }));
    const totals = steps.reduce<RunCounters>((t, s) => ({ units: t.units + s.units, extracted: t.extracted + s.extracted, transformed: t.transformed + s.transformed, loaded: t.loaded + s.loaded, failed: t.failed + s.failed, skipped: t.skipped + s.skipped, pending: t.pending + s.pending }), ZERO);
    const budget = await readBudget(this.commands, this.options.keyPrefix ?? '', run, now);
    const payload: RunProgress = {
      runId,
      tenantId: run.tenant_id,
      jobId: run.job_id,
      integrationId: run.integration_id,
      state: run.state,
      steps,
      totals,
      rateLimit: budget,
      at: new Date(now).toISOString(),
    };
    return { payload, run };
  }

  private async push(runId: number, slot: Slot): Promise<void> {
    const read = await this.read(runId, slot);
    if (!read) {
      this.slots.delete(runId);
      return;
    }
    const { payload, run } = read;
    const { totals } = payload;
    this.hub.publish('runs.progress', payload);
    if (totals.failed > slot.lastFailed) await this.logFailedUnits(runId);
    slot.lastFailed = totals.failed;
    const changed = slot.lastState !== run.state;
    const ended = isTerminal(run.state) && changed;
    if (changed && (slot.lastState !== null || ended) && run.job_id !== null) this.jobChanged(run.tenant_id, run.job_id, ended ? `run ${runId} ended ${run.state}` : `run ${runId} is ${run.state}`);
    slot.lastState = run.state;
    if (ended) await this.logEnd(runId, run.state, totals, run.started_at, run.finished_at);
  }

  /** One error line per failed unit, once (across engines too: the insert skips units already logged). */
  private async logFailedUnits(runId: number): Promise<void> {
    await this.pool.query(
      `SELECT sluice_append_run_log(d.run_id, d.step, 'error',
              'Unit ' || d.id || ' (' || d.stream || coalesce(' ' || d.parent_key, '') || ', page ' || d.page_key || ') failed in ' || coalesce(d.error->>'stage', 'a stage') || ': ' || coalesce(d.error->>'message', 'no message'),
              jsonb_build_object('rawId', d.id, 'stream', d.stream, 'error', d.error))
         FROM (SELECT * FROM raw_extraction_data x
                WHERE x.run_id = $1 AND x.status = 'failed'
                  AND NOT EXISTS (SELECT 1 FROM run_logs l WHERE l.run_id = x.run_id AND l.data->>'rawId' = x.id::text)
                ORDER BY x.id LIMIT 100) d`,
      [runId],
    );
  }

  private async logEnd(runId: number, state: RunState, totals: RunCounters, startedAt: Date | null, finishedAt: Date | null): Promise<void> {
    const seen = await this.pool.query("SELECT 1 FROM run_logs WHERE run_id = $1 AND data->>'event' = 'ended'", [runId]);
    if ((seen.rowCount ?? 0) > 0) return;
    const seconds = startedAt && finishedAt ? Math.max(0, (finishedAt.getTime() - startedAt.getTime()) / 1000) : null;
    await appendRunLog(this.pool, runId, {
      level: state === 'succeeded' ? 'info' : state === 'partial' ? 'warn' : 'error',
      message: `Ended ${state}: ${totals.loaded} record(s) loaded from ${totals.units} unit(s), ${totals.failed} failed, ${totals.skipped} skipped${seconds !== null ? `, in ${seconds.toFixed(1)} s` : ''}.`,
      data: { event: 'ended', state, ...totals, seconds },
    });
  }

  private prune(): void {
    for (const [id, slot] of this.slots) if (!slot.timer && !slot.busy && !slot.dirty && slot.lastState !== null && isTerminal(slot.lastState)) this.slots.delete(id);
  }
}
