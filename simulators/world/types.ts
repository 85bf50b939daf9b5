/**
 * The world: every entity the two simulators serve, stored exactly as the real API returns it (Jira
 * Cloud REST v3 and GitHub REST). Only child collections whose API entity does not name its parent carry
 * a thin envelope (project statuses, dev-status, sprint reports, PR commits). See simulators/README.md.
 *
 * Entities are plain JSON objects. The interfaces below name only the fields the simulators read; every
 * other field is carried through untouched, which is what lets the official spec examples round-trip.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface JiraProject extends JsonObject {
  id: string;
  key: string;
  name: string;
}

/** IssueBean with every field and the full changelog (`histories` newest first, not truncated). */
export interface JiraIssue extends JsonObject {
  id: string;
  key: string;
  fields: JsonObject;
}

export interface ProjectStatuses extends JsonObject {
  /** Project id or key, as it would appear in `/project/{projectIdOrKey}/statuses`. */
  project: string;
  /** The response body: IssueTypeWithStatus[]. */
  body: Json[];
}

export interface DevStatusDetail extends JsonObject {
  issueId: string;
  applicationType: string;
  dataType: string;
  /** The response body of `/rest/dev-status/1.0/issue/detail`. */
  body: JsonObject;
}

export interface SprintReport extends JsonObject {
  boardId: number;
  sprintId: number;
  /** The response body of `/rest/greenhopper/1.0/rapid/charts/sprintreport`. */
  body: JsonObject;
}

export interface JiraWorld {
  projects: JiraProject[];
  issueTypes: JsonObject[];
  statuses: JsonObject[];
  projectStatuses: ProjectStatuses[];
  fields: JsonObject[];
  issues: JiraIssue[];
  devStatus: DevStatusDetail[];
  boards: JsonObject[];
  sprints: JsonObject[];
  sprintReports: SprintReport[];
}

export interface GithubRepository extends JsonObject {
  id: number;
  name: string;
  full_name: string;
}

/** A full pull-request (GET /pulls/{n}); the list endpoint serves the pull-request-simple subset. */
export interface GithubPull extends JsonObject {
  id: number;
  number: number;
  state: string;
  created_at: string;
  updated_at: string;
}

export interface PullCommit extends JsonObject {
  /** `owner/name` of the repository. */
  repository: string;
  pull_number: number;
  /** The commit exactly as `/pulls/{n}/commits` returns it. */
  commit: JsonObject;
}

export interface GithubWorld {
  repositories: GithubRepository[];
  pulls: GithubPull[];
  commits: PullCommit[];
  /** pull-request-review; the PR is named by `pull_request_url`. */
  reviews: JsonObject[];
  /** pull-request-review-comment; the PR is named by `pull_request_url`. */
  reviewComments: JsonObject[];
  /** issue-comment; the issue or PR is named by `issue_url`. */
  issueComments: JsonObject[];
}

export interface WorldMeta extends JsonObject {
  /** Format version of the world directory. */
  format: number;
  seed: number | null;
  scale: string | null;
  /** The generator's "now": no generated timestamp is later than this. */
  anchor: string;
  /** The GitHub organisation the generated repositories belong to. */
  organization: string;
}

export interface World {
  meta: WorldMeta;
  jira: JiraWorld;
  github: GithubWorld;
}

export function emptyWorld(meta: Partial<WorldMeta> = {}): World {
  return {
    meta: { format: 1, seed: null, scale: null, anchor: new Date(0).toISOString(), organization: 'sluice-demo', ...meta },
    jira: { projects: [], issueTypes: [], statuses: [], projectStatuses: [], fields: [], issues: [], devStatus: [], boards: [], sprints: [], sprintReports: [] },
    github: { repositories: [], pulls: [], commits: [], reviews: [], reviewComments: [], issueComments: [] },
  };
}
