import { z } from 'zod';

import type { ChildPartition } from '../../../pipeline/connector';

/**
 * What extract reads out of a `search/jql` page (pure): which issues need their changelog completed,
 * which child partitions the page names (dev-status for issues whose development field shows code,
 * the sprints the issues are in), and the page's watermark. Fields are recognised by their schema
 * (`expand=schema`), as on any Jira site where the custom field ids differ.
 */

const Issue = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
  changelog: z.looseObject({ total: z.number().optional(), histories: z.array(z.unknown()).optional() }).optional(),
});

export const SearchPage = z.looseObject({
  issues: z.array(Issue).default([]),
  nextPageToken: z.string().optional(),
  isLast: z.boolean().optional(),
  schema: z.record(z.string(), z.looseObject({ custom: z.string().optional() })).optional(),
});
export type SearchPage = z.infer<typeof SearchPage>;

const fieldWithCustom = (page: SearchPage, match: (custom: string) => boolean): string | null => {
  for (const [id, schema] of Object.entries(page.schema ?? {})) if (schema.custom && match(schema.custom)) return id;
  return null;
};

export const developmentFieldOf = (page: SearchPage): string | null => fieldWithCustom(page, (c) => /:devsummary(cf)?$/.test(c));
export const sprintFieldOf = (page: SearchPage): string | null => fieldWithCustom(page, (c) => c === 'com.pyxis.greenhopper.jira:gh-sprint');

/** Jira's development field: a summary string (`{}` when there is nothing), sometimes an object. */
export const showsDevelopment = (value: unknown): boolean => {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '' && value.trim() !== '{}';
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
};

/** Sprint ids in a sprint field value: objects `{id}` (Cloud) or legacy strings `...Sprint@x[id=12,...]`. */
export const sprintIdsOf = (value: unknown): number[] => {
  if (!Array.isArray(value)) return [];
  const ids: number[] = [];
  for (const item of value) {
    if (item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'number') ids.push((item as { id: number }).id);
    else if (typeof item === 'string') {
      const m = /\bid=(\d+)/.exec(item);
      if (m) ids.push(Number(m[1]));
    }
  }
  return ids;
};

/** Jira timestamps carry `+0100` offsets without a colon; normalise before Date.parse. */
export const jiraTimeMs = (value: unknown): number | null => {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? ms : null;
};

/** Issues whose embedded changelog is truncated (Jira caps it): their whole history must be fetched. */
export const truncatedChangelogIds = (page: SearchPage): string[] =>
  page.issues.filter((i) => (i.changelog?.total ?? 0) > (i.changelog?.histories?.length ?? 0)).map((i) => i.id);

export const issuePageChildren = (page: SearchPage): ChildPartition[] => {
  const dev = developmentFieldOf(page);
  const sprint = sprintFieldOf(page);
  const children: ChildPartition[] = [];
  const sprints = new Set<number>();
  for (const issue of page.issues) {
    if (dev && showsDevelopment(issue.fields?.[dev])) children.push({ stream: 'dev_status', partition: `${issue.id}:${issue.key}` });
    if (sprint) for (const id of sprintIdsOf(issue.fields?.[sprint])) sprints.add(id);
  }
  for (const id of [...sprints].sort((a, b) => a - b)) children.push({ stream: 'sprints', partition: String(id) });
  return children;
};

/** The latest `updated` on the page (ISO), the partition's watermark once the run has loaded it. */
export const issuePageWatermark = (page: SearchPage): string | null => {
  let max: number | null = null;
  for (const issue of page.issues) {
    const t = jiraTimeMs(issue.fields?.['updated']);
    if (t !== null && (max === null || t > max)) max = t;
  }
  return max === null ? null : new Date(max).toISOString();
};
