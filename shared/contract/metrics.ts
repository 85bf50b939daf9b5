import { z } from 'zod';

import { defineMethod } from './define';

/**
 * Prometheus metrics (issue 9): `sluice serve` and `sluice worker` can expose `/metrics` on a
 * separate loopback port (SLUICE_METRICS_PORT or --metrics-port; off by default). The console shows
 * where it is, so an operator can point a monitoring system at it.
 */

/** The metric families, named once; the engine registers exactly these (a test scrapes them). */
export const METRIC_NAMES = {
  runsByState: 'sluice_runs',
  unitsProcessed: 'sluice_worker_messages_processed_total',
  unitsFailed: 'sluice_worker_messages_failed_total',
  unitsByStatus: 'sluice_raw_units',
  queueMessages: 'sluice_queue_messages',
  queueConsumers: 'sluice_queue_consumers',
  rateLimitedRuns: 'sluice_rate_limited_runs',
  rateLimitWaitSeconds: 'sluice_rate_limit_wait_seconds',
  unitLatencySeconds: 'sluice_unit_latency_seconds',
  poolThreads: 'sluice_worker_pool_threads',
  poolRestarts: 'sluice_worker_pool_restarts_total',
  poolUp: 'sluice_worker_pool_up',
  scrapeErrors: 'sluice_metrics_scrape_errors_total',
} as const;

export const MetricsInfo = z.object({
  enabled: z.boolean(),
  /** `http://127.0.0.1:<port>/metrics` when enabled. */
  url: z.string().nullable(),
  /** How to turn it on, or why it is off. */
  note: z.string(),
});
export type MetricsInfo = z.infer<typeof MetricsInfo>;

export const metricsMethods = {
  'metrics.info': defineMethod({
    summary: 'Whether this engine exposes Prometheus metrics, and where',
    mutates: false,
    input: z.object({}).strict(),
    output: MetricsInfo,
  }),
};
