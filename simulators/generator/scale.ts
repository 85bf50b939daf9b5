/** World sizes. Each preset is explicit counts, so tests and benchmarks can also pass their own. */
export interface WorldCounts {
  projects: number;
  issues: number;
  repositories: number;
  pulls: number;
  /** Closed sprints kept per project board, plus one active and one future sprint. */
  sprintsPerProject: number;
}

export type ScaleName = 'small' | 'demo' | 'large';

/**
 * - small: contract tests; still holds every shape (a >100-entry changelog, a PR over the 250-commit
 *   and 100-review marks, every custom field type) so tests exercise the hard cases cheaply.
 * - demo: what `sluice start` shows; a few thousand rows that load in seconds.
 * - large: benchmarks. 20,000 issues is a busy mid-size Jira site (a dozen teams, two years) and keeps the
 *   world around 0.5 GB of heap with about 220,000 changelog histories; 5,000 PRs is that site's GitHub
 *   activity for the same period.
 */
export const SCALES: Record<ScaleName, WorldCounts> = {
  small: { projects: 2, issues: 60, repositories: 3, pulls: 40, sprintsPerProject: 4 },
  demo: { projects: 4, issues: 1500, repositories: 8, pulls: 600, sprintsPerProject: 12 },
  large: { projects: 12, issues: 20_000, repositories: 40, pulls: 5000, sprintsPerProject: 40 },
};

export function isScaleName(value: string): value is ScaleName {
  return value === 'small' || value === 'demo' || value === 'large';
}
