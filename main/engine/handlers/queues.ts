import { ApiError } from '../../../shared/contract/errors';
import type { DeadLetterActionResult } from '../../../shared/contract/queues';
import { createTopology } from '../../../shared/queue/topology';
import type { TopologySettings } from '../../../shared/worker-protocol/protocol';
import type { TaskOutput } from '../../../shared/worker-protocol/tasks';
import { createManagementClient, type ManagementClient } from '../queues/management';
import { readQueuesStatus } from '../queues/status';
import type { TaskRunner } from '../tasks';
import type { Handlers } from '../types';
import { tenantOf } from './runs';

/**
 * The queues API (shared/contract/queues.ts). Depths and rates come from the engine's own
 * management-API client; dead letters go through one-shot worker tasks (`deadLetters.*`), because
 * reading and requeueing them safely is the queue runtime's job and `main/` may not import it.
 */

export interface QueueHandlerDeps {
  readonly rabbitmqUrl: string | null;
  readonly managementUrl: string | null;
  readonly topology: TopologySettings;
  readonly tasks: TaskRunner;
  /** Injected in tests. */
  readonly management?: ManagementClient | null;
}

type QueueMethods = 'queues.status' | 'queues.deadLetters' | 'queues.requeue' | 'queues.discard';

/** Scans hold every letter they look at until they end; give big queues time. */
const DEAD_LETTER_TASK_TIMEOUT_MS = 60_000;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const describeAction = (action: 'requeue' | 'discard', r: TaskOutput<'deadLetters.act'>): string => {
  const done = action === 'requeue' ? `${plural(r.requeued, 'dead letter')} requeued to ${r.requeued === 1 ? 'its stage' : 'their stages'} with a fresh retry budget` : `${plural(r.discarded, 'dead letter')} discarded`;
  const extra = [
    r.notFound.length ? `${r.notFound.length} no longer in the queue (handled elsewhere)` : '',
    r.skipped.length ? `${r.skipped.length} left alone (${action === 'requeue' ? 'unknown stage or ' : ''}another tenant's)` : '',
  ].filter(Boolean);
  return `${done}${extra.length ? `; ${extra.join(', ')}` : ''}.`;
};

export const queueHandlers = (deps: QueueHandlerDeps): Pick<Handlers, QueueMethods> => {
  const topology = createTopology({ prefix: deps.topology.prefix });
  const management = deps.management !== undefined ? deps.management : deps.managementUrl ? createManagementClient(deps.managementUrl) : null;
  const broker = (): string => {
    if (!deps.rabbitmqUrl) throw new ApiError('unavailable', 'RabbitMQ is not configured (RABBITMQ_URL): there are no dead letters to show. Set it, or run `sluice stack up`.');
    return deps.rabbitmqUrl;
  };
  const act = async (action: 'requeue' | 'discard', ids: 'all' | string[], tenantId: number): Promise<DeadLetterActionResult> => {
    const result = await deps.tasks.run('deadLetters.act', { rabbitmqUrl: broker(), topology: { prefix: deps.topology.prefix }, tenantId, action, ids }, { timeoutMs: DEAD_LETTER_TASK_TIMEOUT_MS });
    return { ...result, message: describeAction(action, result) };
  };
  return {
    'queues.status': () => readQueuesStatus(topology, management),
    'queues.deadLetters': async ({ limit }, ctx) =>
      deps.tasks.run('deadLetters.list', { rabbitmqUrl: broker(), topology: { prefix: deps.topology.prefix }, tenantId: tenantOf(ctx), limit }, { timeoutMs: DEAD_LETTER_TASK_TIMEOUT_MS }),
    'queues.requeue': ({ ids }, ctx) => act('requeue', ids, tenantOf(ctx)),
    'queues.discard': ({ ids }, ctx) => act('discard', ids, tenantOf(ctx)),
  };
};
