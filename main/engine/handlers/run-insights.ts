import type pg from 'pg';

import { readRunSummary } from '../runs/read';
import { readErrorGroups } from '../run-insights/errors';
import { readThroughput } from '../run-insights/throughput';
import type { Handlers } from '../types';
import { scoped } from './runs';

/** What the run detail adds to `runs.get` (shared/contract/run-insights.ts): throughput over time, errors by cause. */
export const runInsightHandlers = (deps: { readonly pool: pg.Pool | null }): Pick<Handlers, 'runs.throughput' | 'runs.errors'> => ({
  'runs.throughput': ({ id, buckets }, ctx) => scoped(deps.pool, ctx, async (client) => readThroughput(client, await readRunSummary(client, id), buckets)),
  'runs.errors': ({ id }, ctx) =>
    scoped(deps.pool, ctx, async (client) => {
      await readRunSummary(client, id);
      return { runId: id, ...(await readErrorGroups(client, id)) };
    }),
});
