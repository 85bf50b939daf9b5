import { describe, expect, it } from 'vitest';

import { collectionName, ENTITY_INFO, entityNoun, isMappingEntity, LOADED_ENTITIES, MAPPING_ENTITIES, VECTOR_ENTITIES } from './entities';

describe('vector entity kinds', () => {
  it('are the loaded kinds and the Jira mapping tables, each exactly once', () => {
    expect([...LOADED_ENTITIES, ...MAPPING_ENTITIES]).toEqual([...VECTOR_ENTITIES]);
    expect(VECTOR_ENTITIES.filter(isMappingEntity)).toEqual(['wits_hierarchies', 'wits_mappings', 'workflows', 'statuses_mappings']);
    expect(MAPPING_ENTITIES.every((e) => ENTITY_INFO[e].provider === 'jira' && ENTITY_INFO[e].source === 'mappings')).toBe(true);
    expect(LOADED_ENTITIES.every((e) => ENTITY_INFO[e].source === 'load')).toBe(true);
  });

  it('name a collection per tenant and kind', () => {
    expect(collectionName('sluice', 3, 'statuses_mappings')).toBe('sluice_t3_statuses_mappings');
  });

  it('read in a sentence with acronyms kept', () => {
    expect(entityNoun('work_items')).toBe('work items');
    expect(entityNoun('wits_mappings')).toBe('WIT mappings');
    expect(entityNoun('statuses_mappings')).toBe('status mappings');
  });
});
