import { randomUUID } from 'node:crypto';

import type pg from 'pg';

import { stageMessageSchemas, VECTORIZE_MESSAGE_VERSION, type VectorizeMessage } from '../../../shared/queue/messages';
import { MAPPING_ENTITIES, type MappingEntity } from '../../../shared/vectors/entities';

/**
 * After a Mappings hub change, queues the vectorize jobs of the mapping rows it touched (issue 10: the
 * mapping tables are embedded too), through the outbox in the change's own transaction, like the
 * console's re-embed (reembed.ts): the job exists exactly when the change committed, and survives a
 * crash before the relay sends it.
 *
 * Which rows: those the transaction wrote, found by `updated_at = now()` (now() is the transaction's
 * start, which both the column default and the touch trigger write), so every hub call (create,
 * update, activate, move, the commitment point, seeding the defaults) is covered without each one
 * listing its ids. A type mapping's text names its hierarchy level and a status mapping's its workflow
 * step, so a mapping whose level or step changed is queued too. The vectorize stage re-embeds only the
 * rows whose text changed (the hash rule); deletions need no job: the tombstone triggers (0013, 0016)
 * and the sweeper remove their points.
 */

/** At most this many ids per `entities` job (the message allows 500). */
export const MAPPING_JOB_IDS = 500;

// Per kind: the ids of the integration's rows this transaction wrote, or whose named level / step it wrote.
const CHANGED: Readonly<Record<MappingEntity, string>> = {
  wits_hierarchies: 'SELECT e.id FROM wits_hierarchies e WHERE e.tenant_id = $1 AND e.integration_id = $2 AND e.updated_at = now()',
  wits_mappings: `SELECT e.id FROM wits_mappings e JOIN wits_hierarchies h ON h.id = e.wits_hierarchy_id
                   WHERE e.tenant_id = $1 AND e.integration_id = $2 AND (e.updated_at = now() OR h.updated_at = now())`,
  workflows: 'SELECT e.id FROM workflows e WHERE e.tenant_id = $1 AND e.integration_id = $2 AND e.updated_at = now()',
  statuses_mappings: `SELECT e.id FROM statuses_mappings e JOIN workflows w ON w.id = e.workflow_id
                       WHERE e.tenant_id = $1 AND e.integration_id = $2 AND (e.updated_at = now() OR w.updated_at = now())`,
};

export type QueuedMappingRows = Readonly<Record<MappingEntity, number>>;

/** Writes the jobs into the outbox (inside the caller's tenant transaction); returns how many rows of each kind were queued. */
export const queueMappingVectors = async (client: pg.ClientBase, scope: { tenantId: number; integrationId: number }): Promise<QueuedMappingRows> => {
  const queued: Record<MappingEntity, number> = { wits_hierarchies: 0, wits_mappings: 0, workflows: 0, statuses_mappings: 0 };
  const requestId = randomUUID();
  let notify = false;
  for (const entity of MAPPING_ENTITIES) {
    const res = await client.query<{ id: string }>(`${CHANGED[entity]} ORDER BY e.id`, [scope.tenantId, scope.integrationId]);
    const ids = res.rows.map((r) => Number(r.id));
    queued[entity] = ids.length;
    for (let i = 0; i < ids.length; i += MAPPING_JOB_IDS) {
      const message: VectorizeMessage = { v: VECTORIZE_MESSAGE_VERSION, kind: 'vectorize', op: 'entities', tenantId: scope.tenantId, entity, ids: ids.slice(i, i + MAPPING_JOB_IDS), force: false, attempt: 1 };
      // The relay drops a row that is not a valid message; refuse it here instead.
      stageMessageSchemas.vectorize.parse(message);
      await client.query('INSERT INTO queue_outbox (tenant_id, run_id, stage, message, message_id) VALUES ($1, NULL, $2, $3, $4)', [
        scope.tenantId,
        'vectorize',
        JSON.stringify(message),
        `vectorize-mappings-${requestId}-${entity}-${i}`,
      ]);
      notify = true;
    }
  }
  if (notify) await client.query('NOTIFY sluice_outbox');
  return queued;
};
