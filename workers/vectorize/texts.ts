import { createHash } from 'node:crypto';

import { z } from 'zod';

import type { VectorEntity } from '../../shared/vectors/entities';
import { HierarchyRow, hierarchyText, MAPPING_SQL, StatusMappingRow, statusMappingText, WitMappingRow, witMappingText, WorkflowRow, workflowText } from './mapping-texts';

/**
 * What gets embedded for each entity kind: the fields a person would search by (key, title, type,
 * status, labels, the description or body), as labelled lines; the mapping tables' texts are in
 * mapping-texts.ts. The text is also what decides re-embedding: its sha256 is stored in
 * qdrant_vectors, and a row whose text hash is unchanged is not sent to the embedder again (a status
 * change changes the text; a metrics recompute does not).
 */

/** Descriptions and bodies are cut here: an embedding model reads ~8k tokens at most, and the start says the most. */
export const MAX_BODY_CHARS = 6_000;

const clip = (text: string | null): string => {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > MAX_BODY_CHARS ? `${t.slice(0, MAX_BODY_CHARS)}…` : t;
};

const line = (label: string, value: string | null | undefined): string[] => (value && value.trim() ? [`${label}: ${value.trim()}`] : []);

const list = z.array(z.string()).nullable().transform((v) => v ?? []);

export const WorkItemRow = z.object({
  id: z.coerce.number(),
  integration_id: z.coerce.number(),
  raw_id: z.coerce.number(),
  key: z.string(),
  project_key: z.string(),
  summary: z.string().nullable(),
  description: z.string().nullable(),
  wit_name: z.string(),
  wit_to: z.string().nullable(),
  status_name: z.string(),
  workflow_step: z.string().nullable(),
  workflow_category: z.string(),
  priority: z.string().nullable(),
  resolution: z.string().nullable(),
  labels: list,
  components: list,
  parent_key: z.string().nullable(),
});
export type WorkItemRow = z.infer<typeof WorkItemRow>;

export const PrRow = z.object({
  id: z.coerce.number(),
  integration_id: z.coerce.number(),
  raw_id: z.coerce.number(),
  repo_full_name: z.string(),
  number: z.coerce.number(),
  title: z.string(),
  body: z.string(),
  state: z.string(),
  is_draft: z.boolean(),
  source_branch: z.string(),
  target_branch: z.string(),
});
export type PrRow = z.infer<typeof PrRow>;

export const workItemText = (r: WorkItemRow): string =>
  [
    `${r.key} ${r.summary ?? ''}`.trim(),
    ...line('Type', r.wit_to && r.wit_to !== r.wit_name ? `${r.wit_to} (${r.wit_name})` : r.wit_name),
    ...line('Status', r.workflow_step && r.workflow_step !== r.status_name ? `${r.status_name} (${r.workflow_step}, ${r.workflow_category})` : `${r.status_name} (${r.workflow_category})`),
    ...line('Project', r.project_key),
    ...line('Parent', r.parent_key),
    ...line('Priority', r.priority),
    ...line('Resolution', r.resolution),
    ...line('Labels', r.labels.join(', ')),
    ...line('Components', r.components.join(', ')),
    ...line('Description', clip(r.description)),
  ].join('\n');

export const prText = (r: PrRow): string =>
  [
    `${r.repo_full_name}#${r.number} ${r.title}`.trim(),
    ...line('State', r.is_draft ? `${r.state} (draft)` : r.state),
    ...line('Branch', `${r.source_branch} → ${r.target_branch}`),
    ...line('Description', clip(r.body)),
  ].join('\n');

/** One row as the handler needs it, whatever its kind. */
export interface EntityRow {
  readonly id: number;
  readonly integrationId: number;
  /** The version the bridge's rule compares: the raw unit of a loaded row, the `updated_at` version of a mapping row (mapping-texts.ts). */
  readonly rawId: number;
  readonly key: string;
  readonly title: string;
  readonly text: string;
}

export interface EntitySpec {
  readonly entity: VectorEntity;
  /** The table (also the entity name). */
  readonly table: string;
  /** The SELECT list (the table is `e`), each aliased to what the row schema reads. */
  readonly select: readonly string[];
  /** The FROM clause: the table as `e`, and the rows its text names. */
  readonly from: string;
  toRow(raw: unknown): EntityRow;
}

const columnsOf = (schema: z.ZodObject): string[] => Object.keys(schema.shape).map((c) => `e.${c}`);

export const ENTITY_SPECS: Readonly<Record<VectorEntity, EntitySpec>> = {
  work_items: {
    entity: 'work_items',
    table: 'work_items',
    select: columnsOf(WorkItemRow),
    from: 'work_items e',
    toRow: (raw) => {
      const r = WorkItemRow.parse(raw);
      return { id: r.id, integrationId: r.integration_id, rawId: r.raw_id, key: r.key, title: r.summary ?? '', text: workItemText(r) };
    },
  },
  prs: {
    entity: 'prs',
    table: 'prs',
    select: columnsOf(PrRow),
    from: 'prs e',
    toRow: (raw) => {
      const r = PrRow.parse(raw);
      return { id: r.id, integrationId: r.integration_id, rawId: r.raw_id, key: `${r.repo_full_name}#${r.number}`, title: r.title, text: prText(r) };
    },
  },
  // The keys are the rows' natural keys (unique per integration), as the Mappings hub shows them.
  wits_hierarchies: {
    entity: 'wits_hierarchies',
    table: 'wits_hierarchies',
    ...MAPPING_SQL.wits_hierarchies,
    toRow: (raw) => {
      const r = HierarchyRow.parse(raw);
      return { id: r.id, integrationId: r.integration_id, rawId: r.raw_id, key: `${r.level_name} (level ${r.level_number})`, title: r.level_name, text: hierarchyText(r) };
    },
  },
  wits_mappings: {
    entity: 'wits_mappings',
    table: 'wits_mappings',
    ...MAPPING_SQL.wits_mappings,
    toRow: (raw) => {
      const r = WitMappingRow.parse(raw);
      return { id: r.id, integrationId: r.integration_id, rawId: r.raw_id, key: r.wit_from, title: `${r.wit_from} → ${r.wit_to} (level ${r.level_number})`, text: witMappingText(r) };
    },
  },
  workflows: {
    entity: 'workflows',
    table: 'workflows',
    ...MAPPING_SQL.workflows,
    toRow: (raw) => {
      const r = WorkflowRow.parse(raw);
      return { id: r.id, integrationId: r.integration_id, rawId: r.raw_id, key: r.step_name, title: `${r.step_name} (${r.step_category}${r.is_commitment_point ? ', commitment point' : ''})`, text: workflowText(r) };
    },
  },
  statuses_mappings: {
    entity: 'statuses_mappings',
    table: 'statuses_mappings',
    ...MAPPING_SQL.statuses_mappings,
    toRow: (raw) => {
      const r = StatusMappingRow.parse(raw);
      return { id: r.id, integrationId: r.integration_id, rawId: r.raw_id, key: r.status_from, title: `${r.status_from} → ${r.step_name} (${r.status_category})`, text: statusMappingText(r) };
    },
  },
};

export const textHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
