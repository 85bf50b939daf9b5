import { z } from 'zod';

import { Stage } from './protocol';

/**
 * Pool and host health as the supervisor reports it: to the console, in `sluice worker` logs, and in
 * the Redis host heartbeat (so it is a schema: other hosts read it back).
 */

export const PoolState = z.enum([
  /** Every desired thread is alive and consuming. */
  'running',
  /** Fewer alive than desired: threads are starting or waiting to be restarted. */
  'degraded',
  /** Desired is 0 or the supervisor is not running. */
  'idle',
  'stopping',
  'stopped',
]);
export type PoolState = z.infer<typeof PoolState>;

export const PoolHealth = z.strictObject({
  stage: Stage,
  state: PoolState,
  desired: z.number().int().nonnegative(),
  /** Threads that announced `ready` and have not exited. */
  alive: z.number().int().nonnegative(),
  /** Alive threads whose RabbitMQ connection is down (they reconnect by themselves; > 0 for long = broker trouble). */
  disconnected: z.number().int().nonnegative(),
  /** Threads finishing their in-flight messages after a scale-down, restart or stop. */
  draining: z.number().int().nonnegative(),
  /** Alive threads with at least one message in flight. */
  busy: z.number().int().nonnegative(),
  inFlight: z.number().int().nonnegative(),
  /** Totals since the supervisor started, including threads that have since exited. */
  processed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  retried: z.number().int().nonnegative(),
  deadLettered: z.number().int().nonnegative(),
  /** Unplanned thread exits (crash, fatal, missed pings) that led to a restart. */
  restarts: z.number().int().nonnegative(),
  /** Consecutive crashes without a healthy period in between: > 1 means a crash loop. */
  crashStreak: z.number().int().nonnegative(),
  /** When the next restart is due, while a crashed thread waits for its backoff. */
  nextRestartAt: z.string().nullable(),
  lastError: z.strictObject({ message: z.string(), at: z.string() }).nullable(),
});
export type PoolHealth = z.infer<typeof PoolHealth>;

/** The JSON a `sluice worker` host writes to `sluice:hosts:<hostId>` every few seconds. */
export const HostHeartbeat = z.strictObject({
  hostId: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  started: z.string(),
  at: z.string(),
  stages: z.array(Stage),
  pools: z.array(PoolHealth),
});
export type HostHeartbeat = z.infer<typeof HostHeartbeat>;
