import { z } from 'zod';

/**
 * What the vectorize stage embeds: one Qdrant collection per tenant and entity kind (DESIGN.md
 * section 3), named `<prefix>_t<tenant>_<entity>`. The entity kinds are tables: the loaded ones (work
 * items, PRs) and the Jira mapping tables (issue 10: "loaded work items, PRs and mapping tables are
 * embedded"). A point's id is the row's id in that table (unique within it, stable across upserts), so
 * an upsert of the same row always hits the same point and a collection never needs a second key.
 */
export const VectorEntity = z.enum(['work_items', 'prs', 'wits_hierarchies', 'wits_mappings', 'workflows', 'statuses_mappings']);
export type VectorEntity = z.infer<typeof VectorEntity>;
export const VECTOR_ENTITIES: readonly VectorEntity[] = VectorEntity.options;

/** The kinds load writes (with raw lineage): embedded after each loaded unit, and what search covers. */
export const LoadedEntity = VectorEntity.extract(['work_items', 'prs']);
export type LoadedEntity = z.infer<typeof LoadedEntity>;
export const LOADED_ENTITIES: readonly LoadedEntity[] = LoadedEntity.options;

/** The Jira mapping tables (configuration, edited on the Mappings hub): embedded when the hub changes them. */
export const MappingEntity = VectorEntity.extract(['wits_hierarchies', 'wits_mappings', 'workflows', 'statuses_mappings']);
export type MappingEntity = z.infer<typeof MappingEntity>;
export const MAPPING_ENTITIES: readonly MappingEntity[] = MappingEntity.options;

export const isMappingEntity = (entity: VectorEntity): entity is MappingEntity => MappingEntity.safeParse(entity).success;

/** How the console names each kind, which provider's integrations have it, and where it comes from. */
export const ENTITY_INFO: Readonly<Record<VectorEntity, { readonly label: string; readonly provider: 'jira' | 'github'; readonly source: 'load' | 'mappings' }>> = {
  work_items: { label: 'Work items', provider: 'jira', source: 'load' },
  prs: { label: 'Pull requests', provider: 'github', source: 'load' },
  wits_hierarchies: { label: 'WIT hierarchy levels', provider: 'jira', source: 'mappings' },
  wits_mappings: { label: 'WIT mappings', provider: 'jira', source: 'mappings' },
  workflows: { label: 'Workflow steps', provider: 'jira', source: 'mappings' },
  statuses_mappings: { label: 'Status mappings', provider: 'jira', source: 'mappings' },
};

/** The kind's label inside a sentence: "work items", "WIT mappings" (acronyms keep their case). */
export const entityNoun = (entity: VectorEntity): string => {
  const label = ENTITY_INFO[entity].label;
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
};

/** Lets several environments (or test files) share one Qdrant without seeing each other's collections. */
export const CollectionPrefix = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, "_" or "-", starting with a letter (at most 40)');

export const DEFAULT_COLLECTION_PREFIX = 'sluice';

export const collectionName = (prefix: string, tenantId: number, entity: VectorEntity): string => `${prefix}_t${tenantId}_${entity}`;

/** The tenant's collections all start with this (the console lists exactly those). */
export const tenantCollectionPrefix = (prefix: string, tenantId: number): string => `${prefix}_t${tenantId}_`;
