import { randomUUID } from 'node:crypto';

import type pg from 'pg';

import { stageMessageSchemas, VECTORIZE_MESSAGE_VERSION, type VectorizeMessage } from '../../../shared/queue/messages';
import type { VectorEntity } from '../../../shared/vectors/entities';

/**
 * Queues a re-embed through the outbox (migration 0007): the engine publishes nothing itself; the
 * extract threads' relay sends the job to the vectorize queue, where a vectorize thread lists the rows
 * and fans them out in small `entities` jobs. Written in the caller's tenant transaction.
 */
export const queueReembed = async (
  client: pg.ClientBase,
  input: { tenantId: number; entity: VectorEntity; scope: 'missing' | 'all'; integrationId: number | null },
): Promise<{ requestId: string }> => {
  const requestId = randomUUID();
  const message: VectorizeMessage = {
    v: VECTORIZE_MESSAGE_VERSION,
    kind: 'vectorize',
    op: 'reembed',
    tenantId: input.tenantId,
    entity: input.entity,
    scope: input.scope,
    integrationId: input.integrationId,
    requestId,
    attempt: 1,
  };
  // The relay drops a row that is not a valid message; refuse it here instead, where the caller sees it.
  stageMessageSchemas.vectorize.parse(message);
  await client.query('INSERT INTO queue_outbox (tenant_id, run_id, stage, message, message_id) VALUES ($1, NULL, $2, $3, $4)', [
    input.tenantId,
    'vectorize',
    JSON.stringify(message),
    `vectorize-reembed-${requestId}`,
  ]);
  await client.query('NOTIFY sluice_outbox');
  return { requestId };
};
