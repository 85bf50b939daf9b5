import { JiraSettings } from '../../../shared/connectors/settings';
import type { IntegrationInfo } from '../../pipeline/connector';
import { PermanentError } from '../../queue/errors';
import { sourceRequest, type SourceResponse } from '../http/request';

/**
 * Jira Cloud REST calls for extract: auth (Basic email:token, or Bearer without an email), the base
 * URL, and Jira's error body (`{errorMessages: [...], errors: {field: message}}`) turned into the
 * message operators see.
 */

export const jiraErrorMessage = (body: unknown): string => {
  if (body && typeof body === 'object') {
    const b = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
    const parts = [
      ...(Array.isArray(b.errorMessages) ? b.errorMessages.filter((m): m is string => typeof m === 'string') : []),
      ...(b.errors && typeof b.errors === 'object' ? Object.entries(b.errors as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`) : []),
      ...(typeof b.message === 'string' ? [b.message] : []),
    ];
    if (parts.length > 0) return parts.join('; ').slice(0, 1000);
  }
  return typeof body === 'string' ? body.slice(0, 500) : '';
};

export const jiraSettingsOf = (integration: IntegrationInfo): JiraSettings => {
  const parsed = JiraSettings.safeParse(integration.settings);
  if (!parsed.success) {
    throw new PermanentError(`Integration ${integration.id} has invalid Jira settings (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); fix them on the Integrations screen.`);
  }
  return parsed.data;
};

export interface JiraCall {
  readonly url: string;
  readonly response: SourceResponse | null;
}

export class JiraClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(
    integration: IntegrationInfo,
    settings: JiraSettings,
    secret: string | null,
    private readonly signal: AbortSignal,
    private readonly previousRateLimits: number,
  ) {
    if (!secret) throw new PermanentError(`Integration ${integration.id} has no API token; set one on the Integrations screen.`);
    this.base = integration.baseUrl.replace(/\/+$/, '');
    const auth = settings.email ? `Basic ${Buffer.from(`${settings.email}:${secret}`).toString('base64')}` : `Bearer ${secret}`;
    this.headers = { authorization: auth };
  }

  url(path: string, query: Record<string, string | number | readonly string[] | undefined> = {}): string {
    const u = new URL(`${this.base}${path}`);
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, String(item));
      else u.searchParams.set(k, String(v));
    }
    return u.toString();
  }

  async get(path: string, query: Record<string, string | number | readonly string[] | undefined> = {}, emptyOn?: readonly number[]): Promise<JiraCall> {
    const url = this.url(path, query);
    const response = await sourceRequest({ url, headers: this.headers, signal: this.signal, previousRateLimits: this.previousRateLimits, errorMessage: jiraErrorMessage, ...(emptyOn ? { emptyOn } : {}) });
    return { url, response };
  }

  async post(path: string, body: unknown): Promise<JiraCall> {
    const url = this.url(path);
    const response = await sourceRequest({ url, method: 'POST', body, headers: this.headers, signal: this.signal, previousRateLimits: this.previousRateLimits, errorMessage: jiraErrorMessage });
    return { url, response };
  }
}
