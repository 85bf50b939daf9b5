import type { CustomField, SpecialField } from '../../../shared/contract/mappings';

/**
 * Which discovered fields look like each special field, best first: the same recognition the Jira
 * transform applies to a special field left unmapped (workers/connectors/jira/transform/custom-fields.ts,
 * `planFields`), so a suggestion is also what a run would use if the operator saved nothing. The engine
 * may not import worker code, hence the copy; keep the two in step.
 */

const SPRINT = 'com.pyxis.greenhopper.jira:gh-sprint';
const STORY_POINTS = 'com.pyxis.greenhopper.jira:jsw-story-points';
const STORY_POINT_NAME = /^story[ _-]?points?( estimate)?$/i;
const isDevelopment = (custom: string): boolean => custom.endsWith(':devsummarycf') || custom.endsWith(':devsummary');
const isTeam = (custom: string): boolean => custom.endsWith(':atlassian-team') || /teams?$/i.test(custom.split(':').pop() ?? '');

/** customfield_10016 before customfield_10100; other ids after, alphabetically (as the transform orders them). */
export const byFieldNumber = (a: string, b: string): number => {
  const na = /^customfield_(\d+)$/.exec(a)?.[1];
  const nb = /^customfield_(\d+)$/.exec(b)?.[1];
  if (na !== undefined && nb !== undefined) return Number(na) - Number(nb);
  if (na !== undefined) return -1;
  if (nb !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
};

export const suggestSpecialFields = (fields: readonly CustomField[]): Record<SpecialField, string[]> => {
  const sorted = [...fields].sort((a, b) => byFieldNumber(a.externalId, b.externalId));
  const withCustom = (test: (custom: string) => boolean): string[] => sorted.filter((f) => test(f.schemaCustom ?? '')).map((f) => f.externalId);
  const pointsByName = sorted.filter((f) => f.fieldType === 'number' && STORY_POINT_NAME.test(f.name.trim())).map((f) => f.externalId);
  return {
    team: withCustom(isTeam),
    sprints: withCustom((c) => c === SPRINT),
    development: withCustom(isDevelopment),
    storyPoints: [...new Set([...withCustom((c) => c === STORY_POINTS), ...pointsByName])],
  };
};
