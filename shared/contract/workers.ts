import { z } from 'zod';

import { HostHeartbeat, PoolHealth } from '../worker-protocol/health';
import { Stage } from '../worker-protocol/protocol';
import { defineMethod } from './define';

/** Threads per stage on one host (the supervisor refuses more; each thread holds connections). */
export const MAX_POOL_THREADS = 64;

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

/**
 * Which pools a control acts on: the engine's own (`embedded`), or a `sluice worker` host by its id.
 * Remote hosts take the command through Redis (they listen on their own control channel) and answer
 * with their pools' new state; a host that does not answer in time is reported, not assumed done.
 */
const Target = z.string().min(1).max(200).describe('"embedded" or the hostId of a sluice worker host');

export const PoolControlResult = z.object({
  hostId: z.string(),
  pools: z.array(PoolHealth),
  /** One sentence for the operator. */
  message: z.string(),
});
export type PoolControlResult = z.infer<typeof PoolControlResult>;

export const workersMethods = {
  'workers.status': defineMethod({
    summary: 'Worker pools embedded in this engine, and the sluice worker hosts seen in Redis',
    mutates: false,
    input: z.object({}).strict(),
    output: WorkersStatus,
  }),
  'workers.scale': defineMethod({
    summary: 'Set the thread count of one stage pool on one host (extra threads finish their in-flight messages first)',
    mutates: true,
    input: z.object({ host: Target, stage: Stage, threads: z.number().int().min(0).max(MAX_POOL_THREADS) }).strict(),
    output: PoolControlResult,
  }),
  'workers.restart': defineMethod({
    summary: 'Replace every thread of one stage pool on one host (new threads start before the old ones drain)',
    mutates: true,
    input: z.object({ host: Target, stage: Stage }).strict(),
    output: PoolControlResult,
  }),
};
