import { z } from 'zod';

import { HostHeartbeat, PoolHealth } from '../worker-protocol/health';
import { defineMethod } from './define';

export const WorkerHostSummary = z.object({
  hostId: z.string(),
  /** alive: heartbeating; lost: it stopped heartbeating without a clean stop. */
  state: z.enum(['alive', 'lost']),
  heartbeat: HostHeartbeat,
});

export const WorkersStatus = z.object({
  /** The pools this engine runs in its own process (desktop app or `sluice serve`). */
  embedded: z.object({
    state: z.enum(['running', 'off']),
    /** Why the pools are off, and what to do about it. */
    reason: z.string().nullable(),
    hostId: z.string().nullable(),
    pools: z.array(PoolHealth),
  }),
  /** Every `sluice worker` host that heartbeats in Redis (empty without REDIS_URL). */
  hosts: z.array(WorkerHostSummary),
  /** Why hosts could not be listed (no Redis, Redis down), or null. */
  hostsNote: z.string().nullable(),
});
export type WorkersStatus = z.infer<typeof WorkersStatus>;

export const workersMethods = {
  'workers.status': defineMethod({
    summary: 'Worker pools embedded in this engine, and the sluice worker hosts seen in Redis',
    mutates: false,
    input: z.object({}).strict(),
    output: WorkersStatus,
  }),
};
