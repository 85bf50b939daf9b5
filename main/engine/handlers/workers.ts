import { ApiError } from '../../../shared/contract/errors';
import type { PoolControlResult } from '../../../shared/contract/workers';
import type { PoolHealth } from '../../../shared/worker-protocol/health';
import type { Stage } from '../../../shared/worker-protocol/protocol';
import type { EngineConfig } from '../config';
import { sendPoolCommand } from '../pool-control/redis';
import type { Handlers } from '../types';
import { workerHosts, type EmbeddedWorkers } from '../workers';

/**
 * The workers API (shared/contract/workers.ts): the engine's own pools and every `sluice worker`
 * host in Redis, and the pool controls. `host: "embedded"` acts on this engine's supervisor; a host
 * id sends the command to that host over Redis and returns what it answered.
 */

export interface WorkerHandlerDeps {
  readonly config: Pick<EngineConfig, 'redisUrl'>;
  readonly embedded: EmbeddedWorkers;
  /** Host-key namespace (tests isolate with it); default `sluice:`. */
  readonly hostsNamespace?: string;
  readonly remoteTimeoutMs?: number;
}

type WorkerMethods = 'workers.status' | 'workers.scale' | 'workers.restart';

export const EMBEDDED_HOST = 'embedded';

const poolLine = (pools: PoolHealth[], stage: Stage): string => {
  const p = pools.find((x) => x.stage === stage);
  return p ? `${p.alive} of ${p.desired} thread(s) alive` : 'no pool';
};

export const workerHandlers = (deps: WorkerHandlerDeps): Pick<Handlers, WorkerMethods> => {
  const embeddedControl = async (fn: () => void | Promise<void>): Promise<PoolHealth[]> => {
    if (deps.embedded.offReason) throw new ApiError('conflict', `This engine runs no worker pools: ${deps.embedded.offReason}`);
    try {
      await fn();
    } catch (error) {
      throw new ApiError('bad_request', error instanceof Error ? error.message : String(error));
    }
    return deps.embedded.status().pools;
  };
  const remote = async (host: string, command: { action: 'scale' | 'restart'; stage: Stage; threads?: number }): Promise<PoolHealth[]> => {
    if (!deps.config.redisUrl) throw new ApiError('unavailable', `Host ${host} is reached through Redis, which is not configured (REDIS_URL).`);
    return sendPoolCommand(deps.config.redisUrl, host, command, { ...(deps.hostsNamespace ? { namespace: deps.hostsNamespace } : {}), ...(deps.remoteTimeoutMs ? { timeoutMs: deps.remoteTimeoutMs } : {}) });
  };
  const hostIdOf = (host: string): string => (host === EMBEDDED_HOST ? (deps.embedded.status().hostId ?? EMBEDDED_HOST) : host);

  return {
    'workers.status': async () => ({ embedded: deps.embedded.status(), ...(await workerHosts(deps.config, deps.hostsNamespace)) }),
    'workers.scale': async ({ host, stage, threads }): Promise<PoolControlResult> => {
      const pools = host === EMBEDDED_HOST ? await embeddedControl(() => deps.embedded.scale(stage, threads)) : await remote(host, { action: 'scale', stage, threads });
      return { hostId: hostIdOf(host), pools, message: `The ${stage} pool of ${host === EMBEDDED_HOST ? 'this engine' : host} is set to ${threads} thread(s); now ${poolLine(pools, stage)}${threads === 0 ? '' : ' (new threads start in a few seconds)'}.` };
    },
    'workers.restart': async ({ host, stage }): Promise<PoolControlResult> => {
      const pools = host === EMBEDDED_HOST ? await embeddedControl(() => deps.embedded.restart(stage)) : await remote(host, { action: 'restart', stage });
      return { hostId: hostIdOf(host), pools, message: `The ${stage} pool of ${host === EMBEDDED_HOST ? 'this engine' : host} restarted: new threads took over, the old ones finish their in-flight messages.` };
    },
  };
};
