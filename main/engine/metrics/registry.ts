import type pg from 'pg';
import { Counter, Gauge, Registry } from 'prom-client';

import { METRIC_NAMES as N } from '../../../shared/contract/metrics';
import type { QueuesStatus } from '../../../shared/contract/queues';
import type { PoolHealth } from '../../../shared/worker-protocol/health';

/**
 * The Prometheus metrics of `sluice serve` and `sluice worker` (prom-client). Nothing is counted on
 * the hot path: every family is read when scraped, from what already exists — the supervisor's pool
 * health, RabbitMQ's management API, and (serve only) a few aggregate queries on runs and raw units.
 * A source that fails leaves its families empty for that scrape and counts the failure in
 * `sluice_metrics_scrape_errors_total{source}`, so a dashboard can tell "zero" from "unknown".
 */

export interface MetricsSources {
  /** Pool health per host (the engine's embedded pools, or the worker host's). */
  readonly pools?: () => { hostId: string; pools: PoolHealth[] }[];
  /** Queue depths (null when the management API is not configured). */
  readonly queues?: (() => Promise<QueuesStatus>) | null;
  /** Postgres, for runs and units (serve only; the engine's pool, not tenant-scoped: aggregates only). */
  readonly db?: pg.Pool | null;
}

const LIVE = "('queued', 'running', 'paused', 'rate_limited')";

export const createMetricsRegistry = (sources: MetricsSources): Registry => {
  const registry = new Registry();
  registry.setDefaultLabels({});
  // prom-client collects every family at once: the error counter (registered last) waits for the
  // others' reads of this scrape, so a failure shows in the same scrape, not the next one.
  const inflight = new Set<Promise<boolean>>();
  const scrapeErrors = new Counter({
    name: N.scrapeErrors,
    help: 'Metric sources that failed during a scrape (their families were left empty)',
    labelNames: ['source'],
    registers: [],
    async collect() {
      await Promise.allSettled([...inflight]);
    },
  });
  const guard = (source: string, fn: () => Promise<void> | void): Promise<boolean> => {
    const p = (async () => {
      try {
        await fn();
        return true;
      } catch {
        scrapeErrors.inc({ source });
        return false;
      }
    })();
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    return p;
  };

  if (sources.pools) {
    const read = sources.pools;
    const setCounter = (c: Counter<'host' | 'stage'>, pick: (p: PoolHealth) => number) => {
      c.reset();
      for (const h of read()) for (const p of h.pools) c.inc({ host: h.hostId, stage: p.stage }, pick(p));
    };
    new Counter({
      name: N.unitsProcessed,
      help: 'Messages the stage pool handled successfully since the host started',
      labelNames: ['host', 'stage'],
      registers: [registry],
      collect() {
        setCounter(this, (p) => p.processed);
      },
    });
    new Counter({
      name: N.unitsFailed,
      help: 'Messages whose handling failed (retried or dead-lettered) since the host started',
      labelNames: ['host', 'stage'],
      registers: [registry],
      collect() {
        setCounter(this, (p) => p.failed);
      },
    });
    new Counter({
      name: N.poolRestarts,
      help: 'Unplanned thread exits that led to a restart',
      labelNames: ['host', 'stage'],
      registers: [registry],
      collect() {
        setCounter(this, (p) => p.restarts);
      },
    });
    new Gauge({
      name: N.poolThreads,
      help: 'Threads of a stage pool by state (desired, alive, busy, draining, disconnected)',
      labelNames: ['host', 'stage', 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const h of read()) {
          for (const p of h.pools) {
            for (const state of ['desired', 'alive', 'busy', 'draining', 'disconnected'] as const) this.set({ host: h.hostId, stage: p.stage, state }, p[state]);
          }
        }
      },
    });
    new Gauge({
      name: N.poolUp,
      help: '1 when every desired thread of the pool is alive and consuming, else 0',
      labelNames: ['host', 'stage'],
      registers: [registry],
      collect() {
        this.reset();
        for (const h of read()) for (const p of h.pools) this.set({ host: h.hostId, stage: p.stage }, p.state === 'running' || (p.state === 'idle' && p.desired === 0) ? 1 : 0);
      },
    });
  }

  if (sources.queues) {
    const read = sources.queues;
    // Both families come from one management API call per scrape.
    let pending: Promise<QueuesStatus | null> | null = null;
    const once = (): Promise<QueuesStatus | null> => {
      pending ??= (async () => {
        let status: QueuesStatus | null = null;
        const ok = await guard('rabbitmq', async () => {
          status = await read();
          if (status.note) throw new Error(status.note);
        });
        setTimeout(() => (pending = null), 0);
        return ok ? status : null;
      })();
      return pending;
    };
    new Gauge({
      name: N.queueMessages,
      help: 'Messages in a pipeline queue (RabbitMQ management API, sampled by the broker)',
      labelNames: ['queue', 'kind', 'stage', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        const status = await once();
        for (const q of status?.queues ?? []) {
          const labels = { queue: q.name, kind: q.kind, stage: q.stage ?? '' };
          this.set({ ...labels, state: 'ready' }, q.ready);
          this.set({ ...labels, state: 'unacked' }, q.unacked);
        }
      },
    });
    new Gauge({
      name: N.queueConsumers,
      help: 'Consumers of a pipeline queue',
      labelNames: ['queue', 'kind', 'stage'],
      registers: [registry],
      async collect() {
        this.reset();
        const status = await once();
        for (const q of status?.queues ?? []) this.set({ queue: q.name, kind: q.kind, stage: q.stage ?? '' }, q.consumers);
      },
    });
  }

  if (sources.db) {
    const db = sources.db;
    new Gauge({
      name: N.runsByState,
      help: 'Runs by state (every tenant)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset();
        await guard('postgres', async () => {
          const res = await db.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM runs GROUP BY state');
          for (const state of ['queued', 'running', 'paused', 'rate_limited', 'succeeded', 'partial', 'failed', 'cancelled']) this.set({ state }, 0);
          for (const r of res.rows) this.set({ state: r.state }, Number(r.n));
        });
      },
    });
    new Gauge({
      name: N.unitsByStatus,
      help: 'Raw units of live runs by status (pending, transformed, loaded, failed, skipped)',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        this.reset();
        await guard('postgres', async () => {
          const res = await db.query<{ status: string; n: string }>(`SELECT d.status, count(*) AS n FROM raw_extraction_data d JOIN runs r ON r.id = d.run_id WHERE r.state IN ${LIVE} GROUP BY d.status`);
          for (const status of ['pending', 'transformed', 'loaded', 'failed', 'skipped']) this.set({ status }, 0);
          for (const r of res.rows) this.set({ status: r.status }, Number(r.n));
        });
      },
    });
    new Gauge({
      name: N.rateLimitedRuns,
      help: 'Runs waiting for a rate-limit reset',
      registers: [registry],
      async collect() {
        await guard('postgres', async () => {
          const res = await db.query<{ n: string }>("SELECT count(*) AS n FROM runs WHERE state = 'rate_limited'");
          this.set(Number(res.rows[0]?.n ?? 0));
        });
      },
    });
    new Gauge({
      name: N.rateLimitWaitSeconds,
      help: 'Seconds until the rate-limit reset of each integration with a rate-limited run',
      labelNames: ['integration_id'],
      registers: [registry],
      async collect() {
        this.reset();
        await guard('postgres', async () => {
          const res = await db.query<{ integration_id: string; seconds: number }>(
            "SELECT integration_id, greatest(0, extract(epoch FROM max(rate_limited_until) - now()))::float8 AS seconds FROM runs WHERE state = 'rate_limited' AND rate_limited_until IS NOT NULL GROUP BY integration_id",
          );
          for (const r of res.rows) this.set({ integration_id: String(r.integration_id) }, r.seconds);
        });
      },
    });
    new Gauge({
      name: N.unitLatencySeconds,
      help: 'From a page stored (extract) to its load committed, for units loaded in the last 5 minutes (quantiles)',
      labelNames: ['quantile'],
      registers: [registry],
      async collect() {
        this.reset();
        await guard('postgres', async () => {
          const res = await db.query<{ p50: number | null; p95: number | null; p99: number | null }>(
            `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY s) AS p95, percentile_cont(0.99) WITHIN GROUP (ORDER BY s) AS p99
               FROM (SELECT extract(epoch FROM d.updated_at - d.created_at)::float8 AS s FROM raw_extraction_data d JOIN runs r ON r.id = d.run_id
                      WHERE d.status = 'loaded' AND d.updated_at > now() - interval '5 minutes' AND (r.state IN ${LIVE} OR r.finished_at > now() - interval '5 minutes')) x`,
          );
          const row = res.rows[0];
          if (row?.p50 == null) return;
          this.set({ quantile: '0.5' }, row.p50);
          this.set({ quantile: '0.95' }, row.p95 ?? row.p50);
          this.set({ quantile: '0.99' }, row.p99 ?? row.p50);
        });
      },
    });
  }
  registry.registerMetric(scrapeErrors);
  return registry;
};
