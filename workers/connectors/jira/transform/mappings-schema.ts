import { z } from 'zod';

import { SLOT_COUNT, StepCategory } from './rows';

/**
 * The mappings snapshot the transform works with: what `loadJiraMappings` (../mappings.ts) reads
 * from the mapping tables for one integration at the start of a run, stored on the run as JSON, so
 * every unit of the run is transformed with the same mappings on any host. Only active rows.
 */
const name = z.string().min(1).max(200);
const fieldId = z.string().min(1).max(255).nullable();

export const JiraMappings = z.strictObject({
  /** wits_mappings joined with their hierarchy level. */
  wits: z.array(z.strictObject({ witFrom: name, witTo: name, hierarchyLevel: z.number().int(), hierarchyName: name })),
  /** The workflow steps; exactly one is the commitment point when any exist (enforced by migration 0008). */
  workflow: z.array(z.strictObject({ stepName: name, stepNumber: z.number().int().nullable(), stepCategory: StepCategory, isCommitmentPoint: z.boolean() })),
  /** statuses_mappings joined with their workflow step. */
  statuses: z.array(z.strictObject({ statusFrom: name, stepName: name, stepNumber: z.number().int().nullable(), category: StepCategory })),
  customFields: z.strictObject({
    team: fieldId,
    sprints: fieldId,
    development: fieldId,
    storyPoints: fieldId,
    slots: z.array(fieldId).length(SLOT_COUNT),
  }),
  /**
   * Jira's statuses as loaded so far (the `statuses` table): changelog items name statuses by id, and
   * an unmapped status falls back to its Jira category, which only this list knows for statuses the
   * issue is no longer in.
   */
  jiraStatuses: z.array(z.strictObject({ externalId: z.string().min(1), name: z.string(), categoryKey: z.string().nullable() })),
});
export type JiraMappings = z.infer<typeof JiraMappings>;

/** No mappings at all: every type and status unmapped (and flagged), special fields recognised from the search schema. */
export const EMPTY_MAPPINGS: JiraMappings = {
  wits: [],
  workflow: [],
  statuses: [],
  customFields: { team: null, sprints: null, development: null, storyPoints: null, slots: Array.from({ length: SLOT_COUNT }, () => null) },
  jiraStatuses: [],
};
