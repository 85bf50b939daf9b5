import { PermanentError } from '../../queue/errors';

/**
 * How a source API's failures reach the pipeline (workers/queue/consumer.ts decides retries):
 * - a 4xx that is not a rate limit is `SourceRejectedError`, a PermanentError: retrying the same
 *   request cannot succeed (wrong credentials, no permission, unknown project, bad query), so the
 *   unit fails at once with the API's own message, never silently;
 * - a 5xx or a network failure is `SourceUnavailableError`: retried through the delay tiers within
 *   the budget (the source being down is not our outage, so it does spend attempts);
 * - rate limits are `RateLimitedError` (workers/pipeline/rate-limited.ts), which pause the integration.
 */

export class SourceRejectedError extends PermanentError {
  override readonly name = 'SourceRejectedError';
  constructor(
    readonly status: number,
    readonly url: string,
    readonly apiMessage: string,
    hint: string,
  ) {
    super(`${describeRequest(url)} answered ${status}: ${apiMessage || 'no message'}. ${hint}`);
  }
}

export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
  constructor(
    readonly url: string,
    readonly status: number | null,
    detail: string,
  ) {
    super(`${describeRequest(url)} ${status === null ? 'could not be reached' : `answered ${status}`}: ${detail}; it will be retried.`);
  }
}

/** The request without its query string (which may carry JQL or tokens of no use in a message). */
export const describeRequest = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.slice(0, 200);
  }
};

/** What to do about a refused request, by status. */
export const hintFor = (status: number): string => {
  switch (status) {
    case 401:
      return 'The token was refused: set a valid API token (and email, for Jira) on the integration.';
    case 403:
      return 'The account lacks permission for this resource: grant it, or leave the resource out of the integration settings.';
    case 404:
      return 'Not found: check the base URL and that the project or repository still exists.';
    case 400:
    case 422:
      return 'The request was rejected: check the integration settings (project keys, base JQL, patterns).';
    case 410:
      return 'This API was removed by the provider; update Sluice.';
    default:
      return 'Check the integration settings.';
  }
};
