import { z } from 'zod';

/**
 * Integration settings per provider (`integrations.settings`), validated by the engine when an
 * operator saves them and by the workers when they use them. The secret (API token) is never here:
 * it is sealed in its own column.
 */

const RateLimit = {
  /** Requests per second for every worker of this integration together (token bucket); the API's default when unset. */
  rateLimitPerSecond: z.number().positive().max(10_000).optional(),
  /** Bucket size: how many requests may go at once after a quiet spell. */
  rateLimitBurst: z.number().int().min(1).max(10_000).optional(),
};

const ProjectKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,49}$/, 'a Jira project key: capital letters, digits and _ (e.g. ENG)');

export const JiraSettings = z.strictObject({
  /** The Atlassian account email for Basic auth with an API token; null sends the token as a Bearer (OAuth). */
  email: z.email().nullable().default(null),
  /** Projects to extract; empty means every project the account can see. */
  projectKeys: z.array(ProjectKey).max(500).default([]),
  /** Extra JQL ANDed to every issue search, e.g. `issuetype != Epic`; no ORDER BY. */
  baseJql: z
    .string()
    .max(2000)
    .refine((q) => !/\border\s+by\b/i.test(q), 'leave ORDER BY out: Sluice orders by updated to page incrementally')
    .nullable()
    .default(null),
  /** Issues per search page (Jira returns at most 100 with fields and changelogs). */
  pageSize: z.number().int().min(1).max(100).default(100),
  /** Incremental runs re-read this many minutes before the watermark (clock skew, late index updates). */
  overlapMinutes: z.number().int().min(0).max(1440).default(5),
  ...RateLimit,
});
export type JiraSettings = z.infer<typeof JiraSettings>;

export const GithubSettings = z.strictObject({
  /** Organization (or user) whose repositories are searched. */
  organization: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'a GitHub organization or user name'),
  /** Repository name patterns (substrings, as GitHub's `in:name`); empty means every repository. */
  repositoryPatterns: z.array(z.string().min(1).max(100)).max(200).default([]),
  /** Pull requests per GraphQL page (nested connections use the same size). */
  pageSize: z.number().int().min(1).max(100).default(50),
  /** A full run reads pull requests updated in this many days (the prior system's 730). */
  lookbackDays: z.number().int().min(1).max(3650).default(730),
  ...RateLimit,
});
export type GithubSettings = z.infer<typeof GithubSettings>;

const schemas = { jira: JiraSettings, github: GithubSettings } as const;

/** The settings schema of a provider; undefined for an unknown one. */
export const settingsSchemaFor = (provider: string): (typeof schemas)[keyof typeof schemas] | undefined =>
  Object.hasOwn(schemas, provider) ? schemas[provider as keyof typeof schemas] : undefined;
