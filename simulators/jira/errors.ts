/** Jira's error body: `{errorMessages: string[], errors: {field: message}}`, with its JSON content type. */
import type { FastifyReply } from 'fastify';

export const JIRA_JSON = 'application/json;charset=UTF-8';

export function jiraError(reply: FastifyReply, status: number, messages: string[], errors: Record<string, string> = {}): FastifyReply {
  return reply.code(status).type(JIRA_JSON).send({ errorMessages: messages, errors });
}

export const SEARCH_GONE =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

export class JqlError extends Error {
  override readonly name = 'JqlError';
}
