import type { JiraConnection, TaskOutput } from '../../shared/worker-protocol/tasks';
import { transformFields } from '../connectors/jira/transform/fields';
import { joinUrl, RequestFailure, requestJson } from './http';

/**
 * `jira.fields`: the site's whole field list (`GET /rest/api/3/field`, one unpaged answer) and the
 * connector's own `fields` transform on it, so discovery and a run's fields step produce the same
 * custom_fields rows. A body Jira would never send (not a field list) fails with what to check.
 */
export const jiraFields = async (c: JiraConnection, timeoutMs: number): Promise<TaskOutput<'jira.fields'>> => {
  const authorization = c.settings.email ? `Basic ${Buffer.from(`${c.settings.email}:${c.token}`).toString('base64')}` : `Bearer ${c.token}`;
  const authHint = c.settings.email
    ? `check the API token and that it belongs to ${c.settings.email} (Integrations screen)`
    : 'set the account email on the Integrations screen (Jira API tokens use Basic auth with it) or check the OAuth token';
  const requestUrl = joinUrl(c.baseUrl, '/rest/api/3/field');
  let body: unknown;
  try {
    ({ body } = await requestJson(requestUrl, { headers: { authorization }, timeoutMs, authHint }));
  } catch (error) {
    if (error instanceof RequestFailure) throw new Error(`Could not read the field list from Jira: ${error.message}.`);
    throw error;
  }
  if (!Array.isArray(body)) throw new Error(`Jira answered ${requestUrl} with something other than a field list; check that the site URL points at Jira Cloud.`);
  let rows;
  try {
    rows = transformFields(body).custom_fields;
  } catch (error) {
    throw new Error(`Jira's field list could not be read (${error instanceof Error ? error.message : String(error)}); check that the site URL points at Jira Cloud.`);
  }
  return { requestUrl, payload: body, rows };
};
