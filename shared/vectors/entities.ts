import { z } from 'zod';

/**
 * What the vectorize stage embeds: one Qdrant collection per tenant and entity kind (DESIGN.md
 * section 3), named `<prefix>_t<tenant>_<entity>`. The entity kinds are unified tables; a point's id
 * is the row's id in that table (unique within it, stable across upserts), so an upsert of the same
 * row always hits the same point and a collection never needs a second key.
 */
export const VectorEntity = z.enum(['work_items', 'prs']);
export type VectorEntity = z.infer<typeof VectorEntity>;
export const VECTOR_ENTITIES: readonly VectorEntity[] = VectorEntity.options;

/** How the console names each kind, and which provider's runs load it. */
export const ENTITY_INFO: Readonly<Record<VectorEntity, { readonly label: string; readonly provider: 'jira' | 'github' }>> = {
  work_items: { label: 'Work items', provider: 'jira' },
  prs: { label: 'Pull requests', provider: 'github' },
};

/** Lets several environments (or test files) share one Qdrant without seeing each other's collections. */
export const CollectionPrefix = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, "_" or "-", starting with a letter (at most 40)');

export const DEFAULT_COLLECTION_PREFIX = 'sluice';

export const collectionName = (prefix: string, tenantId: number, entity: VectorEntity): string => `${prefix}_t${tenantId}_${entity}`;

/** The tenant's collections all start with this (the console lists exactly those). */
export const tenantCollectionPrefix = (prefix: string, tenantId: number): string => `${prefix}_t${tenantId}_`;
