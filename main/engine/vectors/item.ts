import type pg from 'pg';

import type { ItemDetail, LoadedEntity } from '../../../shared/contract/vectors';
import { collectionName } from '../../../shared/vectors/entities';
import { embedderId, type VectorSettings } from '../../../shared/vectors/settings';

/**
 * One work item or PR for a search result's detail, with its vector as the bridge records it. Read in
 * the tenant's RLS scope, so an id of another tenant is simply not found.
 */
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const vectorOf = (r: Record<string, unknown>, settings: VectorSettings | null, collection: string | null): ItemDetail['vector'] =>
  r['v_embedded_at']
    ? {
        embeddedAt: iso(r['v_embedded_at']),
        embedder: String(r['v_embedder']),
        textHash: String(r['v_text_hash']),
        current: settings !== null && r['v_embedder'] === embedderId(settings.embeddings) && r['v_collection'] === collection,
      }
    : null;

const VECTOR_COLUMNS = `v.embedded_at AS v_embedded_at, v.embedder AS v_embedder, v.text_hash AS v_text_hash, v.collection AS v_collection`;

export const readItem = async (client: pg.ClientBase, tenantId: number, entity: LoadedEntity, id: number, settings: VectorSettings | null): Promise<ItemDetail | null> => {
  const collection = settings ? collectionName(settings.collectionPrefix, tenantId, entity) : null;
  if (entity === 'work_items') {
    const res = await client.query<Record<string, unknown>>(
      `SELECT w.*, i.name AS integration_name, i.base_url, ${VECTOR_COLUMNS}
         FROM work_items w JOIN integrations i ON i.id = w.integration_id
         LEFT JOIN qdrant_vectors v ON v.tenant_id = w.tenant_id AND v.entity = 'work_items' AND v.record_id = w.id AND v.deleted_at IS NULL
        WHERE w.tenant_id = $1 AND w.id = $2`,
      [tenantId, id],
    );
    const r = res.rows[0];
    if (!r) return null;
    return {
      entity: 'work_items',
      id,
      integrationId: Number(r['integration_id']),
      integrationName: String(r['integration_name']),
      key: String(r['key']),
      url: `${String(r['base_url']).replace(/\/+$/, '')}/browse/${encodeURIComponent(String(r['key']))}`,
      vector: vectorOf(r, settings, collection),
      summary: text(r['summary']),
      description: text(r['description']),
      type: text(r['wit_to']) ?? String(r['wit_name']),
      status: String(r['status_name']),
      workflowStep: text(r['workflow_step']),
      category: String(r['workflow_category']),
      priority: text(r['priority']),
      assignee: text(r['assignee']),
      labels: texts(r['labels']),
      components: texts(r['components']),
      projectKey: String(r['project_key']),
      parentKey: text(r['parent_key']),
      created: iso(r['created']),
      updated: iso(r['updated']),
    };
  }
  const res = await client.query<Record<string, unknown>>(
    `SELECT p.*, i.name AS integration_name, ${VECTOR_COLUMNS}
       FROM prs p JOIN integrations i ON i.id = p.integration_id
       LEFT JOIN qdrant_vectors v ON v.tenant_id = p.tenant_id AND v.entity = 'prs' AND v.record_id = p.id AND v.deleted_at IS NULL
      WHERE p.tenant_id = $1 AND p.id = $2`,
    [tenantId, id],
  );
  const r = res.rows[0];
  if (!r) return null;
  return {
    entity: 'prs',
    id,
    integrationId: Number(r['integration_id']),
    integrationName: String(r['integration_name']),
    key: `${String(r['repo_full_name'])}#${String(r['number'])}`,
    url: text(r['url']),
    vector: vectorOf(r, settings, collection),
    title: String(r['title']),
    body: String(r['body']),
    state: String(r['state']),
    draft: r['is_draft'] === true,
    author: text(r['author_login']),
    sourceBranch: String(r['source_branch']),
    targetBranch: String(r['target_branch']),
    created: iso(r['github_created_at']),
    updated: iso(r['github_updated_at']),
    mergedAt: isoOrNull(r['merged_at']),
  };
};

/** Which of these ids still exist (a hit whose row was deleted before the sweep removed its point is dropped). */
export const existingIds = async (client: pg.ClientBase, tenantId: number, entity: LoadedEntity, ids: readonly number[]): Promise<Set<number>> => {
  if (ids.length === 0) return new Set();
  // entity is a LoadedEntity (validated), the table of the same name.
  const res = await client.query<{ id: string }>(`SELECT id FROM ${entity} WHERE tenant_id = $1 AND id = ANY($2::bigint[])`, [tenantId, ids]);
  return new Set(res.rows.map((r) => Number(r.id)));
};
