// Over 300 lines on purpose: the contract of the one Mappings hub screen (its tables share the row,
// issue and reassignment schemas), declared once as DESIGN.md asks; split by table it would scatter them.
import { z } from 'zod';

import { defineMethod } from './define';

/**
 * The Mappings hub of one Jira integration (migration 0008): work item type hierarchy levels, type
 * mappings, the workflow (steps, categories, one commitment point), status mappings, the custom-field
 * slots, and the types and statuses of loaded data that no mapping covers. Every call names the
 * integration; the tenant is the console's (the tenant header, never a payload field).
 *
 * Reads answer with the whole configuration (`MappingsSnapshot`, a few hundred rows at most), so the
 * screen shows counts and dependents that are always consistent with each other; every mutation
 * answers with the snapshot after it. A mapping change applies from the next run, or to history with
 * `mappings.retransform`. This file is over 300 lines because it declares one domain's whole contract.
 */

export const STEP_CATEGORIES = ['To Do', 'In Progress', 'Waiting', 'Done', 'Discarded'] as const;
export const StepCategory = z.enum(STEP_CATEGORIES);
export type StepCategory = z.infer<typeof StepCategory>;

export const SLOT_COUNT = 20;
export const SPECIAL_FIELDS = ['team', 'sprints', 'development', 'storyPoints'] as const;
export type SpecialField = (typeof SPECIAL_FIELDS)[number];
export const specialLabels: Record<SpecialField, string> = { team: 'Team', sprints: 'Sprints', development: 'Development', storyPoints: 'Story points' };

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();
const integrationId = Id;

/** Names as the database stores them: no surrounding spaces (the CHECKs of 0008), matched ignoring case. */
const Name = (what: string, max: number) => z.string().trim().min(1, `enter the ${what}`).max(max, `at most ${max} characters`);
const Description = z
  .string()
  .trim()
  .max(500, 'at most 500 characters')
  .nullable()
  .default(null)
  .transform((v) => (v === '' ? null : v));
export const LevelNumber = z.number({ error: 'enter a whole number' }).int('a whole number').min(-10, 'from -10 to 20').max(20, 'from -10 to 20');
export const StepNumber = z.number({ error: 'enter a whole number' }).int('a whole number').min(0, 'from 0 to 1000').max(1000, 'from 0 to 1000').nullable();
/** A Jira field id as the API names it (the `sluice_jira_field_id` domain of 0008). */
export const FieldId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,255}$/, 'a Jira field id, e.g. customfield_10016 (pick one from the list)');

/** A level that something moves to when its own level is deactivated or deleted; null when nothing depends on it. */
const ReassignTo = Id.nullable().default(null);

// ---- what the hub shows ------------------------------------------------------------------------

const Stamps = { createdAt: z.string(), updatedAt: z.string() };

export const Hierarchy = z.object({
  id: Id,
  levelNumber: z.number().int(),
  levelName: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  /** Type mappings (active or not) that use this level: what a deactivation or delete must move. */
  mappings: Count,
  /** Loaded work items whose type is mapped through this level's mappings. */
  workItems: Count,
  ...Stamps,
});
export type Hierarchy = z.infer<typeof Hierarchy>;

export const WitMapping = z.object({
  id: Id,
  witFrom: z.string(),
  witTo: z.string(),
  hierarchyId: Id,
  levelNumber: z.number().int(),
  levelName: z.string(),
  /** An inactive level hides the mapping from runs (loadJiraMappings reads active levels only). */
  levelActive: z.boolean(),
  active: z.boolean(),
  /** Loaded work items of this type (names compared ignoring case), mapped or not yet. */
  workItems: Count,
  ...Stamps,
});
export type WitMapping = z.infer<typeof WitMapping>;

export const WorkflowStep = z.object({
  id: Id,
  stepName: z.string(),
  stepNumber: z.number().int().nullable(),
  stepCategory: StepCategory,
  isCommitmentPoint: z.boolean(),
  active: z.boolean(),
  /** Status mappings (active or not) that point at this step. */
  statusMappings: Count,
  /** Loaded work items that are or were in a status mapped to this step. */
  workItems: Count,
  ...Stamps,
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;

export const StatusMapping = z.object({
  id: Id,
  statusFrom: z.string(),
  workflowId: Id,
  stepName: z.string(),
  stepNumber: z.number().int().nullable(),
  stepActive: z.boolean(),
  statusCategory: StepCategory,
  active: z.boolean(),
  /** Loaded work items that are or were in this status (current status or changelog). */
  workItems: Count,
  ...Stamps,
});
export type StatusMapping = z.infer<typeof StatusMapping>;

export const MappingsSnapshot = z.object({
  integrationId: Id,
  integrationName: z.string(),
  hierarchies: z.array(Hierarchy),
  witMappings: z.array(WitMapping),
  workflow: z.array(WorkflowStep),
  statusMappings: z.array(StatusMapping),
});
export type MappingsSnapshot = z.infer<typeof MappingsSnapshot>;

/** Every mutation: what it did in one sentence, the row it touched, and the configuration after it. */
export const MappingsChange = z.object({ id: Id.nullable(), message: z.string(), snapshot: MappingsSnapshot });
export type MappingsChange = z.infer<typeof MappingsChange>;

/** What depends on a level or a step, and where those dependents may move. */
export const HierarchyDependencies = z.object({
  id: Id,
  levelName: z.string(),
  mappings: z.array(z.object({ id: Id, witFrom: z.string(), witTo: z.string(), active: z.boolean(), workItems: Count })),
  workItems: Count,
  targets: z.array(z.object({ id: Id, levelNumber: z.number().int(), levelName: z.string() })),
});
export type HierarchyDependencies = z.infer<typeof HierarchyDependencies>;

export const StepDependencies = z.object({
  id: Id,
  stepName: z.string(),
  isCommitmentPoint: z.boolean(),
  statusMappings: z.array(z.object({ id: Id, statusFrom: z.string(), statusCategory: StepCategory, active: z.boolean(), workItems: Count })),
  workItems: Count,
  targets: z.array(z.object({ id: Id, stepName: z.string(), stepNumber: z.number().int().nullable(), stepCategory: StepCategory })),
});
export type StepDependencies = z.infer<typeof StepDependencies>;

// ---- custom fields -----------------------------------------------------------------------------

export const CustomField = z.object({
  externalId: z.string(),
  name: z.string(),
  /** The schema type (`number`, `array`, `option`...); null for fields without a schema. */
  fieldType: z.string().nullable(),
  custom: z.boolean(),
  /** The plugin type of a custom field (`com.pyxis.greenhopper.jira:gh-sprint`), which suggestions read. */
  schemaCustom: z.string().nullable(),
  /** The element type of an array field. */
  items: z.string().nullable(),
});
export type CustomField = z.infer<typeof CustomField>;

const Slots = z.array(FieldId.nullable()).length(SLOT_COUNT, `exactly ${SLOT_COUNT} slots (null for an empty one)`);

export const FieldMapping = z.object({
  team: FieldId.nullable(),
  sprints: FieldId.nullable(),
  development: FieldId.nullable(),
  storyPoints: FieldId.nullable(),
  slots: Slots,
});
export type FieldMapping = z.infer<typeof FieldMapping>;

export const CustomFieldsState = z.object({
  integrationId: Id,
  fields: z.array(CustomField),
  mapping: FieldMapping,
  /** Discovered fields that look like each special field (by plugin type, then name), best first. */
  suggestions: z.object({ team: z.array(z.string()), sprints: z.array(z.string()), development: z.array(z.string()), storyPoints: z.array(z.string()) }),
  /** When the field list was last loaded (a run's fields step or a discovery); null before the first. */
  discoveredAt: z.string().nullable(),
  /** Mapped ids the field list does not have (mapped before discovery, or a field since deleted in Jira). */
  unknownIds: z.array(z.string()),
});
export type CustomFieldsState = z.infer<typeof CustomFieldsState>;

/**
 * The mapping as saved: the special fields and the 20 slots, each a field id or null. A field may feed
 * one slot only, and each special field needs its own field; the engine says which slot repeats which.
 */
export const SaveFieldMappingInput = z
  .strictObject({ integrationId, team: FieldId.nullable(), sprints: FieldId.nullable(), development: FieldId.nullable(), storyPoints: FieldId.nullable(), slots: Slots })
  .superRefine((v, ctx) => {
    const seen = new Map<string, string>();
    const check = (id: string | null, path: (string | number)[], label: string): void => {
      if (id === null) return;
      const other = seen.get(id);
      if (other) ctx.addIssue({ code: 'custom', path, message: `${id} is already mapped to ${other}; a field feeds one place only` });
      else seen.set(id, label);
    };
    for (const f of SPECIAL_FIELDS) check(v[f], [f], specialLabels[f]);
    // Slots may repeat nothing, but a special field may also fill a slot (e.g. story points as text).
    for (const f of SPECIAL_FIELDS) if (v[f] !== null) seen.delete(v[f]);
    v.slots.forEach((id, i) => check(id, ['slots', i], `slot ${i + 1}`));
  });
export type SaveFieldMappingInput = z.input<typeof SaveFieldMappingInput>;


export const FieldDiscovery = z.object({
  /** Fields in Jira's answer, and how many of them are new or changed here. */
  fields: Count,
  added: Count,
  changed: Count,
  /** The discovery run and its raw unit (the stored answer, the rows' lineage). */
  runId: Id,
  rawId: Id,
  durationMs: z.number().nonnegative(),
});
export type FieldDiscovery = z.infer<typeof FieldDiscovery>;

// ---- unmapped values ---------------------------------------------------------------------------

export const UnmappedValues = z.object({
  integrationId: Id,
  /** Loaded work items of the integration, for scale. */
  workItems: Count,
  types: z.array(
    z.object({
      name: z.string(),
      /** Work items of this type loaded without a mapping. */
      workItems: Count,
      /** Jira's own level for the type (from the loaded types), for a prefilled level. */
      jiraHierarchyLevel: z.number().int().nullable(),
      /** An active mapping covers it now (added since the load): a re-transform applies it. */
      mappedNow: z.boolean(),
    }),
  ),
  statuses: z.array(
    z.object({
      name: z.string(),
      /** Work items now in this status, unmapped. */
      current: Count,
      /** Work items whose history passed through it while unmapped. */
      inHistory: Count,
      /** Jira's category key (new, indeterminate, done) from the loaded statuses, for a prefilled step. */
      jiraCategoryKey: z.string().nullable(),
      mappedNow: z.boolean(),
    }),
  ),
});
export type UnmappedValues = z.infer<typeof UnmappedValues>;

// ---- inputs ------------------------------------------------------------------------------------

const ofIntegration = z.strictObject({ integrationId });
const rowOf = { integrationId, id: Id };

const hierarchyFields = { levelNumber: LevelNumber, levelName: Name('level name', 120), description: Description };
export const CreateHierarchyInput = z.strictObject({ integrationId, ...hierarchyFields });
export const UpdateHierarchyInput = z.strictObject({ ...rowOf, ...hierarchyFields });

const witFields = { witFrom: Name('Jira type name', 200), witTo: Name('unified type name', 200), hierarchyId: Id };
export const CreateWitMappingInput = z.strictObject({ integrationId, ...witFields });
export const UpdateWitMappingInput = z.strictObject({ ...rowOf, ...witFields });

/** The commitment point must be a numbered step in the flow (0008's workflows_commitment_point_numbered). */
const commitmentNeedsNumber = <T extends { stepNumber: number | null; stepCategory: StepCategory; isCommitmentPoint?: boolean }>(v: T, ctx: z.RefinementCtx): void => {
  if (!v.isCommitmentPoint) return;
  if (v.stepNumber === null) ctx.addIssue({ code: 'custom', path: ['stepNumber'], message: 'the commitment point needs a step number' });
  if (v.stepCategory === 'Discarded') ctx.addIssue({ code: 'custom', path: ['stepCategory'], message: 'the commitment point cannot be a Discarded step' });
};
const stepFields = { stepName: Name('step name', 120), stepNumber: StepNumber, stepCategory: StepCategory };
export const CreateStepInput = z.strictObject({ integrationId, ...stepFields, isCommitmentPoint: z.boolean().default(false) }).superRefine(commitmentNeedsNumber);
export const UpdateStepInput = z.strictObject({ ...rowOf, ...stepFields });

/** statusCategory null: the step's own category (what the seed does). */
const statusFields = { statusFrom: Name('Jira status name', 200), workflowId: Id, statusCategory: StepCategory.nullable().default(null) };
export const CreateStatusMappingInput = z.strictObject({ integrationId, ...statusFields });
export const UpdateStatusMappingInput = z.strictObject({ ...rowOf, ...statusFields });

const setActive = z.strictObject({ ...rowOf, active: z.boolean() });
const setActiveMoving = z.strictObject({ ...rowOf, active: z.boolean(), reassignTo: ReassignTo });
const removeMoving = z.strictObject({ ...rowOf, reassignTo: ReassignTo });
const remove = z.strictObject(rowOf);
const row = z.strictObject(rowOf);

const change = <I extends z.ZodType>(summary: string, input: I) => defineMethod({ summary, mutates: true, input, output: MappingsChange });

export const mappingsMethods = {
  'mappings.get': defineMethod({
    summary: "The Jira integration's hierarchy levels, type mappings, workflow and status mappings, with what uses each",
    mutates: false,
    input: ofIntegration,
    output: MappingsSnapshot,
  }),
  'mappings.seedDefaults': change('Add the default levels, type mappings, workflow and status mappings to the tables that are still empty', ofIntegration),

  'mappings.hierarchies.create': change('Add a hierarchy level', CreateHierarchyInput),
  'mappings.hierarchies.update': change('Rename or renumber a hierarchy level', UpdateHierarchyInput),
  'mappings.hierarchies.dependencies': defineMethod({
    summary: 'The type mappings that use a level, the work items behind them, and the levels they may move to',
    mutates: false,
    input: row,
    output: HierarchyDependencies,
  }),
  'mappings.hierarchies.setActive': change('Activate or deactivate a level; its type mappings move to reassignTo in the same transaction', setActiveMoving),
  'mappings.hierarchies.delete': change('Delete a level; its type mappings move to reassignTo in the same transaction', removeMoving),

  'mappings.witMappings.create': change('Map a Jira work item type to a unified type and level', CreateWitMappingInput),
  'mappings.witMappings.update': change('Change a type mapping', UpdateWitMappingInput),
  'mappings.witMappings.setActive': change('Activate or deactivate a type mapping', setActive),
  'mappings.witMappings.delete': change('Delete a type mapping; one that loaded work items use is deactivated instead', remove),

  'mappings.workflow.create': change('Add a workflow step (as the commitment point: moves it in the same transaction)', CreateStepInput),
  'mappings.workflow.update': change('Rename, renumber or recategorise a workflow step', UpdateStepInput),
  'mappings.workflow.setCommitmentPoint': change('Make a step the commitment point: unsets the old one and sets this one in one transaction', row),
  'mappings.workflow.dependencies': defineMethod({
    summary: 'The status mappings that point at a step, the work items behind them, and the steps they may move to',
    mutates: false,
    input: row,
    output: StepDependencies,
  }),
  'mappings.workflow.setActive': change('Activate or deactivate a step; its status mappings move to reassignTo in the same transaction', setActiveMoving),
  'mappings.workflow.delete': change('Delete a step; its status mappings move to reassignTo in the same transaction', removeMoving),

  'mappings.statusMappings.create': change('Map a Jira status to a workflow step', CreateStatusMappingInput),
  'mappings.statusMappings.update': change('Change a status mapping', UpdateStatusMappingInput),
  'mappings.statusMappings.setActive': change('Activate or deactivate a status mapping', setActive),
  'mappings.statusMappings.delete': change('Delete a status mapping; one that loaded work items use is deactivated instead', remove),

  'mappings.customFields.get': defineMethod({
    summary: 'The discovered fields, the special-field and slot mapping, and suggestions for the special fields',
    mutates: false,
    input: ofIntegration,
    output: CustomFieldsState,
  }),
  'mappings.customFields.discover': defineMethod({
    summary: "Read the site's field list from Jira now, store it as a raw unit and update the discovered fields",
    mutates: true,
    input: ofIntegration,
    output: z.object({ discovery: FieldDiscovery, state: CustomFieldsState }),
  }),
  'mappings.customFields.save': defineMethod({
    summary: 'Save which fields feed team, sprints, development, story points and the 20 slots',
    mutates: true,
    input: SaveFieldMappingInput,
    output: CustomFieldsState,
  }),

  'mappings.unmapped': defineMethod({
    summary: 'Work item types and statuses found in loaded data that no mapping covered, with counts',
    mutates: false,
    input: ofIntegration,
    output: UnmappedValues,
  }),
  'mappings.retransform': defineMethod({
    summary: "Re-transform the integration's stored raw data with the current mappings (no API call)",
    mutates: true,
    // Reprocessing is the operator's job (issue 11); changing the mappings stays admin.
    role: 'operator',
    input: ofIntegration,
    output: z.object({ runId: Id, units: Count }),
  }),
};
