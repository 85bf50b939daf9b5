import { z } from 'zod';

import { GithubSettings, JiraSettings } from '../../../../shared/connectors/settings';
import type { MethodInput } from '../../../../shared/contract/api';
import { BaseUrl, IntegrationName, Token, type Integration, type Provider } from '../../../../shared/contract/integrations';

/**
 * What the integration form holds, and how it becomes an API call. Validation uses the contract's
 * own schemas (the connectors' settings schemas included), so the form and the engine agree; the
 * engine validates again and its field issues land on the same field names.
 */
export interface IntegrationFormValues {
  name: string;
  baseUrl: string;
  /** Empty: keep the stored token (edit), or missing (create). */
  token: string;
  settings: Record<string, unknown>;
}

export type FormMode = 'create' | 'edit';

export const settingsFields: Record<Provider, readonly string[]> = {
  jira: ['email', 'projectKeys', 'baseJql', 'pageSize', 'overlapMinutes', 'rateLimitPerSecond', 'rateLimitBurst'],
  github: ['organization', 'repositoryPatterns', 'pageSize', 'lookbackDays', 'rateLimitPerSecond', 'rateLimitBurst'],
};

/** Every field name of the form, for placing the engine's issues. */
export const formFields = (provider: Provider): string[] => ['name', 'baseUrl', 'token', ...settingsFields[provider].map((f) => `settings.${f}`)];

export const defaultBaseUrl: Record<Provider, string> = { jira: '', github: 'https://api.github.com' };

export function emptyValues(provider: Provider): IntegrationFormValues {
  // The schemas' own defaults; the organization has none (the operator must give one).
  const settings = provider === 'jira' ? JiraSettings.parse({}) : { ...GithubSettings.parse({ organization: 'x' }), organization: '' };
  return { name: '', baseUrl: defaultBaseUrl[provider], token: '', settings };
}

export function valuesFrom(integration: Integration): IntegrationFormValues {
  return { name: integration.name, baseUrl: integration.baseUrl, token: '', settings: { ...emptyValues(integration.provider).settings, ...integration.settings } };
}

/** The form's schema: a token is required when creating, optional (keep) when editing. */
export function formSchema(provider: Provider, mode: FormMode) {
  return z.object({
    name: IntegrationName,
    baseUrl: BaseUrl,
    token: mode === 'create' ? Token : z.union([z.literal(''), Token]),
    settings: provider === 'jira' ? JiraSettings : GithubSettings,
  });
}
export type ParsedFormValues = z.output<ReturnType<typeof formSchema>>;

const tokenOf = (values: ParsedFormValues): string | undefined => (values.token === '' ? undefined : values.token);

export function toCreateInput(provider: Provider, values: ParsedFormValues): MethodInput<'integrations.create'> {
  return { provider, name: values.name, baseUrl: values.baseUrl, token: values.token, settings: values.settings } as MethodInput<'integrations.create'>;
}

export function toUpdateInput(id: number, provider: Provider, values: ParsedFormValues): MethodInput<'integrations.update'> {
  const token = tokenOf(values);
  return { id, provider, name: values.name, baseUrl: values.baseUrl, settings: values.settings, ...(token ? { token } : {}) } as MethodInput<'integrations.update'>;
}

/** Unsaved form values for test connection / the project list; without a token the saved one is used. */
export function toTarget(provider: Provider, integrationId: number | null, values: { baseUrl: string; token: string; settings: unknown }): MethodInput<'integrations.testConnection'> {
  const token = values.token.trim();
  return {
    integrationId,
    draft: { provider, baseUrl: values.baseUrl, settings: values.settings, ...(token ? { token } : {}) },
  } as MethodInput<'integrations.testConnection'>;
}

/**
 * Which field an engine issue belongs to: the longest form field its path starts with (engine
 * paths are the input's, `settings.projectKeys.0`; test-connection paths start with `draft.`).
 * Null when it belongs to no field: the form shows it in its notice instead.
 */
export function fieldForIssue(path: string, fields: readonly string[]): string | null {
  const p = path.startsWith('draft.') ? path.slice('draft.'.length) : path;
  let best: string | null = null;
  for (const f of fields) if ((p === f || p.startsWith(`${f}.`)) && (!best || f.length > best.length)) best = f;
  return best;
}

/** "ENG, ops  x-1" → ["ENG", "OPS", "X-1"]: what an operator types in the manual project-keys field. */
export const parseKeyList = (text: string): string[] => [...new Set(text.split(/[\s,;]+/).map((k) => k.trim().toUpperCase()).filter(Boolean))];

/** One pattern per line (commas also split), blanks dropped. */
export const parseLines = (text: string): string[] => [...new Set(text.split(/[\n,]+/).map((k) => k.trim()).filter(Boolean))];

/** Number inputs: an empty box means "not set" (the schema's default or none). */
export const numberOrUndefined = (value: unknown): number | undefined => {
  if (value === '' || value === null || value === undefined) return undefined;
  return typeof value === 'number' ? value : Number(value);
};

/** Optional text inputs: an empty box is null. */
export const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? (value.trim() === '' ? null : value) : null);
