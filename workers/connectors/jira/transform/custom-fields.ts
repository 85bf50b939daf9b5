import type { FieldSchema } from '../payloads';
import type { JiraMappings } from './mappings-schema';
import { SLOT_COUNT, slotColumn } from './rows';
import { fieldText, hasDevelopment, storyPoints, teamText } from './values';

/**
 * Which issue fields feed the special columns (team, sprints, development, story points) and the 20
 * slots. The tenant's custom_fields_mappings decide; a special field it leaves unmapped is recognised
 * from the search response's `schema` (field id → schema), so a new site works before anyone maps
 * anything. Recognition candidates are ordered (exact plugin type first, then by field number) and a
 * value is taken from the first candidate the issue has a value in: real sites often have both
 * "Story Points" (classic) and "Story point estimate" (team-managed), each filled on different issues.
 */

export interface FieldPlan {
  readonly team: readonly string[];
  readonly sprints: readonly string[];
  readonly development: readonly string[];
  readonly storyPoints: readonly string[];
  /** The classic Epic Link field: the parent of an issue in a company-managed project before `parent` existed. */
  readonly epicLink: readonly string[];
  readonly slots: readonly (string | null)[];
}

const SPRINT = 'com.pyxis.greenhopper.jira:gh-sprint';
const STORY_POINTS = 'com.pyxis.greenhopper.jira:jsw-story-points';
const EPIC_LINK = 'com.pyxis.greenhopper.jira:gh-epic-link';
const isDevelopment = (custom: string): boolean => custom.endsWith(':devsummarycf') || custom.endsWith(':devsummary');
const isTeam = (custom: string): boolean => custom.endsWith(':atlassian-team') || /teams?$/i.test(custom.split(':').pop() ?? '');
const STORY_POINT_NAME = /^story[ _-]?points?( estimate)?$/i;

/** customfield_10016 before customfield_10100; other ids after, alphabetically. */
const byFieldNumber = (a: string, b: string): number => {
  const na = /^customfield_(\d+)$/.exec(a)?.[1];
  const nb = /^customfield_(\d+)$/.exec(b)?.[1];
  if (na !== undefined && nb !== undefined) return Number(na) - Number(nb);
  if (na !== undefined) return -1;
  if (nb !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
};

export const planFields = (mapping: JiraMappings['customFields'], schema: Readonly<Record<string, FieldSchema>> = {}, names: Readonly<Record<string, string>> = {}): FieldPlan => {
  const ids = Object.keys(schema).sort(byFieldNumber);
  const withCustom = (test: (custom: string) => boolean): string[] => ids.filter((id) => test(schema[id]?.custom ?? ''));
  const pointsByName = ids.filter((id) => schema[id]?.type === 'number' && STORY_POINT_NAME.test((names[id] ?? '').trim()));
  const pick = (mapped: string | null, detected: string[]): string[] => (mapped !== null ? [mapped] : detected);
  return {
    team: pick(mapping.team, withCustom(isTeam)),
    sprints: pick(mapping.sprints, withCustom((c) => c === SPRINT)),
    development: pick(mapping.development, withCustom(isDevelopment)),
    storyPoints: pick(mapping.storyPoints, [...new Set([...withCustom((c) => c === STORY_POINTS), ...pointsByName])]),
    epicLink: withCustom((c) => c === EPIC_LINK),
    slots: mapping.slots,
  };
};

type Fields = Readonly<Record<string, unknown>>;

/** A field's own value: a mapped id such as `toString` must not read Object.prototype's method. */
export const fieldValue = (fields: Fields, id: string): unknown => (Object.hasOwn(fields, id) ? fields[id] : undefined);

/** The value of the first candidate field that is set on the issue (null and absent count as unset). */
export const firstValue = (fields: Fields, candidates: readonly string[]): unknown => {
  for (const id of candidates) {
    const v = fieldValue(fields, id);
    if (v !== null && v !== undefined) return v;
  }
  return null;
};

export interface CustomFieldValues {
  team: string | null;
  story_points: number | null;
  development: boolean;
  slots: Record<string, string | null>;
}

export const customFieldValues = (fields: Fields, plan: FieldPlan): CustomFieldValues => {
  const slots: Record<string, string | null> = {};
  for (let i = 0; i < SLOT_COUNT; i += 1) {
    const id = plan.slots[i] ?? null;
    slots[slotColumn(i)] = id === null ? null : fieldText(fieldValue(fields, id));
  }
  return {
    team: teamText(firstValue(fields, plan.team)),
    story_points: storyPoints(firstValue(fields, plan.storyPoints)),
    development: plan.development.some((id) => hasDevelopment(fieldValue(fields, id))),
    slots,
  };
};
