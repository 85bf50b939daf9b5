import { githubPlan } from '../../../shared/connectors/github';
import type { Connector } from '../../pipeline/connector';
import { extractGithubPage } from './extract/streams';
import { loadGithub } from './load';
import { transformGithub } from './transform';

/** The GitHub connector: extract (REST search + GraphQL), the pure transform, and the load (README.md). */
export const github: Connector = {
  name: 'github',
  plan: githubPlan,
  extractPage: extractGithubPage,
  transform: transformGithub,
  load: async (client, output, lineage) => {
    await loadGithub(client, output, lineage);
  },
};
