import type { QueueRow, QueuesStatus } from '../../../shared/contract/queues';
import type { Topology } from '../../../shared/queue/topology';
import type { ManagedQueue, ManagementClient } from './management';

/**
 * The Queues screen's table: every queue the topology declares, in pipeline order, joined with what
 * the management API reports. A queue the broker does not have yet is shown as `missing` (no worker
 * of this namespace has started), not left out, so the operator sees the whole pipeline.
 */

const rate = (details: { rate: number } | undefined): number | null => (details ? Math.max(0, Math.round(details.rate * 100) / 100) : null);

export const toQueueRow = (spec: Topology['queues'][number], found: ManagedQueue | undefined, topology: Topology): QueueRow => {
  const delayMs = spec.kind === 'delay' ? (topology.delayTiersMs.find((ms) => spec.name.endsWith(`.delay.${ms}ms`)) ?? null) : null;
  return {
    name: spec.name,
    kind: spec.kind,
    stage: spec.stage,
    delayMs,
    type: found?.type ?? (typeof spec.arguments['x-queue-type'] === 'string' ? spec.arguments['x-queue-type'] : null),
    state: found ? (found.state ?? 'running') : 'missing',
    messages: found?.messages ?? 0,
    ready: found?.messages_ready ?? 0,
    unacked: found?.messages_unacknowledged ?? 0,
    consumers: found?.consumers ?? 0,
    rates: {
      publish: rate(found?.message_stats?.publish_details),
      deliver: rate(found?.message_stats?.deliver_get_details),
      ack: rate(found?.message_stats?.ack_details),
    },
  };
};

export const readQueuesStatus = async (topology: Topology, client: ManagementClient | null, now = new Date()): Promise<QueuesStatus> => {
  const empty = (note: string): QueuesStatus => ({ namespace: topology.namespace, queues: topology.queues.map((q) => toQueueRow(q, undefined, topology)).map((q) => ({ ...q, state: 'unknown' })), note, checkedAt: now.toISOString() });
  if (!client) return empty('RabbitMQ management API is not configured (RABBITMQ_MANAGEMENT_URL): queue depths and rates cannot be read. Set it, e.g. http://user:pass@127.0.0.1:15672.');
  let found: ManagedQueue[];
  try {
    found = await client.queues(`${topology.namespace}.`);
  } catch (error) {
    return empty(error instanceof Error ? error.message : String(error));
  }
  const byName = new Map(found.map((q) => [q.name, q]));
  return { namespace: topology.namespace, queues: topology.queues.map((spec) => toQueueRow(spec, byName.get(spec.name), topology)), note: null, checkedAt: now.toISOString() };
};
