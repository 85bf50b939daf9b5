import type { ExtractedPage, ExtractRequest } from '../../../pipeline/connector';
import { PermanentError } from '../../../queue/errors';
import { GithubClient } from '../client';
import { nestedPage, pullRequestsPage } from './pull-requests';
import { repositoriesPage } from './repositories';

const streams: Readonly<Record<string, (request: ExtractRequest, client: GithubClient) => Promise<ExtractedPage>>> = {
  repositories: (r, c) => repositoriesPage(r, c),
  pull_requests: (r, c) => pullRequestsPage(r, c),
  pr_nested: nestedPage,
};

/** One page of a GitHub stream (shared/connectors/github.ts). */
export const extractGithubPage = async (request: ExtractRequest): Promise<ExtractedPage> => {
  const fetchPage = Object.hasOwn(streams, request.stream) ? streams[request.stream] : undefined;
  if (!fetchPage) throw new PermanentError(`The GitHub connector has no stream "${request.stream}"; the message is wrong.`);
  return fetchPage(request, new GithubClient(request.integration, request.secret ?? null, request.signal, request.previousRateLimits ?? 0));
};
