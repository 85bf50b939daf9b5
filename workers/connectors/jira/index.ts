import { jiraPlan } from '../../../shared/connectors/jira';
import type { Connector } from '../../pipeline/connector';
import { extractJiraPage } from './extract/streams';
import { loadJira } from './load';
import { loadJiraMappings } from './mappings';
import { transformJira } from './transform';

/** The Jira Cloud connector: extract streams, the pure transform with the run's mappings, the load. */
export const jira: Connector = {
  name: 'jira',
  plan: jiraPlan,
  extractPage: extractJiraPage,
  transform: transformJira,
  load: async (client, output, lineage) => {
    await loadJira(client, output, lineage);
  },
  loadMappings: loadJiraMappings,
};
