import type { StatusDetails } from '../payloads';
import type { JiraMappings } from './mappings-schema';
import type { StepCategory } from './rows';

/**
 * Lookups over a mappings snapshot, built once per unit (so the cost of a unit is linear in its
 * payload plus the size of the mappings, never a scan per issue).
 *
 * Matching is case-insensitive and ignores surrounding spaces, for types and statuses alike (the
 * prior system matched statuses case-sensitively, so "In progress" silently fell out of the flow).
 */

export interface WitMapping {
  readonly witTo: string;
  readonly hierarchyLevel: number;
  readonly hierarchyName: string;
}

/** Where an issue is in the tenant's workflow while it sits in one Jira status. */
export interface FlowState {
  readonly statusId: string | null;
  readonly statusName: string | null;
  /** The mapped workflow step; null when no status mapping matched. */
  readonly step: string | null;
  readonly stepNumber: number | null;
  /** The mapping's category, or the fallback from Jira's status category when unmapped. */
  readonly category: StepCategory;
  readonly mapped: boolean;
  /** What time in steps is counted under: the step, or the status name for an unmapped status. */
  readonly label: string;
}

export interface MappingIndex {
  wit(name: string): WitMapping | undefined;
  /** The flow state of a status, resolved by id first (names in old changelog entries may be stale), then by name. */
  state(statusId: string | null, nameHint: string | null, categoryHint?: string | null): FlowState;
  /** The commitment point's step number; null when the workflow has none. */
  readonly commitmentStep: number | null;
  readonly mappings: JiraMappings;
}

const norm = (s: string): string => s.trim().toLowerCase();

/** Jira's three status categories (by key or name) onto the workflow categories; No Category counts as To Do. */
export const categoryFromJira = (keyOrName: string | null | undefined): StepCategory => {
  switch (keyOrName ? norm(keyOrName) : '') {
    case 'indeterminate':
    case 'in progress':
      return 'In Progress';
    case 'done':
      return 'Done';
    default:
      return 'To Do';
  }
};

export const indexMappings = (mappings: JiraMappings, pageStatuses: readonly StatusDetails[] = []): MappingIndex => {
  const wits = new Map<string, WitMapping>();
  for (const w of mappings.wits) wits.set(norm(w.witFrom), { witTo: w.witTo, hierarchyLevel: w.hierarchyLevel, hierarchyName: w.hierarchyName });
  const statuses = new Map(mappings.statuses.map((s) => [norm(s.statusFrom), s]));
  // Names and categories by status id: the loaded statuses, then the statuses this page shows.
  const known = new Map<string, { name: string; categoryKey: string | null }>();
  for (const s of pageStatuses) known.set(s.id, { name: s.name, categoryKey: s.statusCategory?.key ?? s.statusCategory?.name ?? null });
  for (const s of mappings.jiraStatuses) {
    const page = known.get(s.externalId);
    known.set(s.externalId, { name: s.name, categoryKey: s.categoryKey ?? page?.categoryKey ?? null });
  }
  const commitment = mappings.workflow.find((w) => w.isCommitmentPoint);
  const cache = new Map<string, FlowState>();

  const state = (statusId: string | null, nameHint: string | null, categoryHint: string | null = null): FlowState => {
    const cacheKey = `${statusId ?? ''}\u0000${nameHint ?? ''}\u0000${categoryHint ?? ''}`;
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    const info = statusId === null ? undefined : known.get(statusId);
    const statusName = info?.name ?? nameHint;
    const mapping = statusName === null ? undefined : statuses.get(norm(statusName));
    const result: FlowState = mapping
      ? { statusId, statusName, step: mapping.stepName, stepNumber: mapping.stepNumber, category: mapping.category, mapped: true, label: mapping.stepName }
      : {
          statusId,
          statusName,
          step: null,
          stepNumber: null,
          category: categoryFromJira(info?.categoryKey ?? categoryHint),
          mapped: false,
          label: statusName ?? `status ${statusId ?? '?'}`,
        };
    cache.set(cacheKey, result);
    return result;
  };

  return { wit: (name) => wits.get(norm(name)), state, commitmentStep: commitment?.stepNumber ?? null, mappings };
};
