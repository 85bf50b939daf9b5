import type pg from 'pg';
import type { Redis } from 'ioredis';
import { z } from 'zod';

import { budgetOf } from '../../../shared/connectors/budget';
import type { RunProgress } from '../../../shared/contract/runs';

/** Reads behind the progress feed (progress-feed.ts): the shared rate-limit budget, and the vectorize stage's counts. */

type BudgetRun = Parameters<typeof budgetOf>[0] & { readonly integration_id: number; readonly rate_limited_until: Date | null };

/**
 * The integration's rate limit as the workers share it: capacity from its settings, tokens and the
 * pause of a 429 from the Redis bucket (workers/coordination/rate-limit-redis.ts keys), and the run's
 * own rate_limited_until. Without Redis the buckets live in the workers' shared memory: no tokens.
 */
export const readBudget = async (commands: Redis | null, keyPrefix: string, run: BudgetRun, now: number): Promise<RunProgress['rateLimit']> => {
  const bucket = budgetOf(run);
  const capacity = 'error' in bucket ? null : bucket.capacity;
  let limitedUntil = run.rate_limited_until && run.rate_limited_until.getTime() > now ? run.rate_limited_until.getTime() : null;
  let tokens: number | null = null;
  if (commands && !('error' in bucket)) {
    try {
      if (commands.status === 'wait') await commands.connect();
      const key = `${keyPrefix}sluice:rl:integration-${run.integration_id}`;
      const res = await commands.multi().hmget(key, 'tokens', 'ts').get(`${key}:pause`).time().exec();
      const [stored, ts] = (res?.[0]?.[1] as (string | null)[] | undefined) ?? [null, null];
      const paused = Number((res?.[1]?.[1] as string | null) ?? 0);
      const time = res?.[2]?.[1] as [string, string] | undefined;
      const redisNow = time ? Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000) : now;
      // A missing bucket is a full one (the workers let it expire once it refilled).
      tokens = stored === null || ts === null ? bucket.capacity : Math.min(bucket.capacity, Number(stored) + Math.max(0, redisNow - Number(ts)) * (bucket.refillPerSecond / 1000));
      tokens = Math.round(tokens * 10) / 10;
      if (paused > redisNow) limitedUntil = Math.max(limitedUntil ?? 0, now + (paused - redisNow));
    } catch {
      tokens = null; // Redis unreachable: the budget is unknown for now
    }
  }
  return { limitedUntil: limitedUntil === null ? null : new Date(limitedUntil).toISOString(), tokens, capacity };
};

const VectorizeRow = z.object({ step: z.string(), loaded_units: z.coerce.number(), vectorized_units: z.coerce.number(), entities: z.coerce.number() });

/** Per step: loaded units, how many the vectorize stage finished, and the entities this run embedded (sluice_run_vectorize_progress). */
export const vectorizeCounts = async (pool: pg.Pool, runId: number): Promise<Map<string, { units: number; ofUnits: number; entities: number }>> => {
  const res = await pool.query('SELECT * FROM sluice_run_vectorize_progress($1)', [runId]);
  return new Map(res.rows.map((raw) => {
    const r = VectorizeRow.parse(raw);
    return [r.step, { units: r.vectorized_units, ofUnits: r.loaded_units, entities: r.entities }];
  }));
};
