import { z } from 'zod';

import { GithubSettings, JiraSettings } from '../connectors/settings';
import { defineMethod } from './define';

/**
 * Integrations: one connection to a source (a Jira Cloud site, a GitHub organization) of the tenant
 * the console has selected (the tenant header, never a payload field). Several per provider per
 * tenant are allowed, told apart by name. The API token is write-only: calls may send a new one,
 * nothing ever sends one back; `secretHint` ("…a1b2") tells operators which token is set.
 */

export const Provider = z.enum(['jira', 'github']);
export type Provider = z.infer<typeof Provider>;

export const IntegrationId = z.number().int().positive();

export const IntegrationName = z.string().trim().min(1, 'give the integration a name').max(120, 'at most 120 characters');

/** http(s) only, no credentials in it, no trailing slash (the connectors append paths). */
export const BaseUrl = z
  .string()
  .trim()
  .min(1, 'enter the base URL')
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials, e.g. https://your-site.atlassian.net')
  .transform((v) => v.replace(/\/+$/, ''));

/** A token as typed: surrounding whitespace (a paste artefact) is dropped. */
export const Token = z.string().trim().min(1, 'enter the API token').max(4000, 'a token is at most 4000 characters');

/** Provider + the settings of that provider; the settings schemas are the connectors' own. */
export const ProviderSettings = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('jira'), settings: JiraSettings }),
  z.object({ provider: z.literal('github'), settings: GithubSettings }),
]);

export const Integration = z.object({
  id: IntegrationId,
  provider: Provider,
  name: z.string(),
  baseUrl: z.string(),
  /** The stored settings of the provider (Jira or GitHub shape, see shared/connectors/settings.ts). */
  settings: z.record(z.string(), z.unknown()),
  /** Whether a token is stored, and its last characters; never the token. */
  hasSecret: z.boolean(),
  secretHint: z.string().nullable(),
  active: z.boolean(),
  /** Created by `sluice start` for the Demo tenant, pointing at the local simulators. */
  isDemo: z.boolean(),
  /** Runs queued, running, paused or rate limited: while > 0 the integration cannot be deactivated or deleted. */
  activeRuns: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Integration = z.infer<typeof Integration>;

const withProvider = <P extends Provider, S extends z.ZodType, T extends z.ZodRawShape>(provider: P, settings: S, shape: T) =>
  z.object({ provider: z.literal(provider), settings, ...shape }).strict();

const createShape = { name: IntegrationName, baseUrl: BaseUrl, token: Token, active: z.boolean().default(true) };
export const CreateIntegrationInput = z.discriminatedUnion('provider', [
  withProvider('jira', JiraSettings, createShape),
  withProvider('github', GithubSettings, createShape),
]);
export type CreateIntegrationInput = z.input<typeof CreateIntegrationInput>;

/** Settings are replaced as a whole (the form sends all of them); the token only when a new one is typed. */
const updateShape = { id: IntegrationId, name: IntegrationName, baseUrl: BaseUrl, token: Token.optional() };
export const UpdateIntegrationInput = z.discriminatedUnion('provider', [
  withProvider('jira', JiraSettings, updateShape),
  withProvider('github', GithubSettings, updateShape),
]);
export type UpdateIntegrationInput = z.input<typeof UpdateIntegrationInput>;

/**
 * What a connection check or a remote lookup talks to: a saved integration as stored, or the values
 * typed in the form (unsaved). A draft without a token uses the saved integration's token, so an
 * operator editing settings need not type the token again.
 */
export const ConnectionTarget = z
  .object({
    integrationId: IntegrationId.nullable().default(null),
    draft: z
      .discriminatedUnion('provider', [
        withProvider('jira', JiraSettings, { baseUrl: BaseUrl, token: Token.optional() }),
        withProvider('github', GithubSettings, { baseUrl: BaseUrl, token: Token.optional() }),
      ])
      .nullable()
      .default(null),
  })
  .strict()
  .refine((t) => t.integrationId !== null || t.draft !== null, { message: 'name a saved integration (integrationId) or send the form values (draft)', path: ['integrationId'] });
export type ConnectionTarget = z.input<typeof ConnectionTarget>;

export const ConnectionCheck = z.object({
  /** What was tried, e.g. "Authentication", "Issue search". */
  name: z.string(),
  ok: z.boolean(),
  /** What works, or what does not and what to do, with the API's own message. */
  detail: z.string(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;

export const RemoteProject = z.object({ key: z.string(), name: z.string() });
export type RemoteProject = z.infer<typeof RemoteProject>;

/** Rows a delete removes, per table that references the integration (everything cascades from it). */
export const DeletionCounts = z.object({
  runs: z.number().int().nonnegative(),
  rawUnits: z.number().int().nonnegative(),
  /** Rows of the other tables (unified model, jobs, mappings...), summed. */
  otherRows: z.number().int().nonnegative(),
  tables: z.array(z.object({ table: z.string(), rows: z.number().int().nonnegative() })),
});
export type DeletionCounts = z.infer<typeof DeletionCounts>;

export const IntegrationFilters = z
  .object({
    provider: Provider.nullable().default(null),
    active: z.boolean().nullable().default(null),
    /** Case-insensitive substring of the name or base URL. */
    search: z.string().trim().max(200).default(''),
  })
  .strict();

export const integrationsMethods = {
  'integrations.list': defineMethod({
    summary: "List the selected tenant's integrations, by name, optionally filtered",
    mutates: false,
    input: IntegrationFilters,
    output: z.object({ integrations: z.array(Integration) }),
  }),
  'integrations.get': defineMethod({
    summary: 'One integration of the selected tenant (never its token)',
    mutates: false,
    input: z.object({ id: IntegrationId }).strict(),
    output: Integration,
  }),
  'integrations.create': defineMethod({
    summary: 'Create an integration with its settings and token (sealed at rest)',
    mutates: true,
    input: CreateIntegrationInput,
    output: Integration,
  }),
  'integrations.update': defineMethod({
    summary: 'Replace name, base URL and settings; the token only when a new one is given',
    mutates: true,
    input: UpdateIntegrationInput,
    output: Integration,
  }),
  'integrations.setActive': defineMethod({
    summary: 'Activate or deactivate; deactivating is refused while a run of the integration is in progress',
    mutates: true,
    input: z.object({ id: IntegrationId, active: z.boolean() }).strict(),
    output: Integration,
  }),
  'integrations.delete': defineMethod({
    summary: 'Delete an integration and everything extracted through it; dryRun (the default) only counts',
    mutates: true,
    input: z.object({ id: IntegrationId, dryRun: z.boolean().default(true) }).strict(),
    output: z.object({ id: IntegrationId, name: z.string(), deleted: z.boolean(), removes: DeletionCounts }),
  }),
  'integrations.testConnection': defineMethod({
    summary: 'Call the provider API with the saved or typed settings and report what works and what does not',
    mutates: false,
    // Part of the integration form, and it makes the engine call a URL of the caller's choosing: admin only.
    role: 'admin',
    input: ConnectionTarget,
    output: z.object({ ok: z.boolean(), checks: z.array(ConnectionCheck), durationMs: z.number().nonnegative() }),
  }),
  'integrations.remoteProjects': defineMethod({
    summary: 'The Jira projects the account can see, for the project-keys picker',
    mutates: false,
    // Part of the integration form (the project-keys picker), calling the provider with typed settings: admin only.
    role: 'admin',
    input: ConnectionTarget,
    output: z.object({ projects: z.array(RemoteProject), truncated: z.boolean() }),
  }),
};
