import type { TaskName, TaskOutput, TaskParsedInput } from '../../shared/worker-protocol/tasks';
import { actOnDeadLetters, listDeadLetters } from './dead-letters';
import { githubChecks } from './github';
import { jiraChecks, jiraProjects } from './jira';
import { jiraFields } from './jira-fields';
import { cacheFacets, cacheGet, cachePut, cacheRead } from './raw-cache';
import { transformPreview } from './transform-preview';
import { searchVectors } from '../vectorize/search';

export type TaskImpl<T extends TaskName> = (input: TaskParsedInput<T>) => Promise<TaskOutput<T>>;

/** Every task of shared/worker-protocol/tasks.ts has exactly one implementation: a missing one is a compile error. */
export const taskImpls: { [T in TaskName]: TaskImpl<T> } = {
  'integration.test': async ({ connection, requestTimeoutMs }) => ({
    checks: connection.provider === 'jira' ? await jiraChecks(connection, requestTimeoutMs) : await githubChecks(connection, requestTimeoutMs),
  }),
  'jira.projects': ({ connection, limit, requestTimeoutMs }) => jiraProjects(connection, limit, requestTimeoutMs),
  'transform.preview': transformPreview,
  'jira.fields': ({ connection, requestTimeoutMs }) => jiraFields(connection, requestTimeoutMs),
  'deadLetters.list': listDeadLetters,
  'deadLetters.act': actOnDeadLetters,
  'vectors.search': searchVectors,
  'raw.cache.read': cacheRead,
  'raw.cache.get': cacheGet,
  'raw.cache.facets': cacheFacets,
  'raw.cache.put': cachePut,
};
