/**
 * `generateWorld`: one deterministic world (Jira and GitHub together) from a seed and a scale or counts.
 * Both simulators can serve the same world object, so PRs reference issue keys that exist in Jira.
 */
import type { World } from '../world/types';
import { generateGithub } from './github';
import { generateJira } from './jira';
import { Rng } from './random';
import { SCALES, type ScaleName, type WorldCounts } from './scale';

export interface GenerateOptions {
  scale?: ScaleName | WorldCounts;
  seed?: number;
  /**
   * The world's "now" (ISO string or epoch ms): every timestamp is at or before it. Defaults to a fixed
   * instant so the same seed gives byte-identical worlds on any day; the demo passes today's date instead.
   */
  anchor?: string | number;
  organization?: string;
}

export const DEFAULT_ANCHOR = '2026-11-01T00:00:00.000Z';

export function generateWorld(options: GenerateOptions = {}): World {
  const seed = options.seed ?? 1;
  const scaleName = typeof options.scale === 'string' ? options.scale : options.scale ? null : 'small';
  const counts: WorldCounts = typeof options.scale === 'object' ? options.scale : SCALES[options.scale ?? 'small'];
  const anchor = typeof options.anchor === 'number' ? options.anchor : Date.parse(options.anchor ?? DEFAULT_ANCHOR);
  if (!Number.isFinite(anchor)) throw new Error(`The anchor date "${String(options.anchor)}" is not a valid date; pass an ISO timestamp.`);
  const organization = options.organization ?? 'sluice-demo';
  // Separate streams: adding a field to Jira issues must not reshuffle the GitHub half.
  const { jira, facts } = generateJira(new Rng(seed), counts, anchor);
  const { github, devStatus } = generateGithub(new Rng(seed + 7919), counts, anchor, organization, jira.projects, facts);
  jira.devStatus = devStatus;
  return { meta: { format: 1, seed, scale: scaleName, anchor: new Date(anchor).toISOString(), organization }, jira, github };
}

/** Entity counts, as printed by `sluice sim` and the benchmark. */
export function worldCounts(world: World): Record<string, number> {
  const histories = world.jira.issues.reduce((n, i) => n + (((i.changelog as { histories?: unknown[] } | undefined)?.histories?.length) ?? 0), 0);
  const long = world.jira.issues.filter((i) => (((i.changelog as { total?: number } | undefined)?.total) ?? 0) > 100).length;
  return {
    projects: world.jira.projects.length,
    issueTypes: world.jira.issueTypes.length,
    statuses: world.jira.statuses.length,
    fields: world.jira.fields.length,
    issues: world.jira.issues.length,
    changelogHistories: histories,
    issuesWithOver100Histories: long,
    sprints: world.jira.sprints.length,
    devStatus: world.jira.devStatus.length,
    repositories: world.github.repositories.length,
    pulls: world.github.pulls.length,
    commits: world.github.commits.length,
    reviews: world.github.reviews.length,
    reviewComments: world.github.reviewComments.length,
    issueComments: world.github.issueComments.length,
  };
}
