import { PermanentError } from '../queue/errors';
import type { Connector, IntegrationInfo } from './connector';
import { github } from '../connectors/github';
import { jira } from '../connectors/jira';
import { synthetic, syntheticTree } from './synthetic';

/**
 * Connectors by name. An integration picks one by its provider (`jira`, `github`), or with
 * `settings.connector` (the synthetic test connectors).
 */
export const connectors: Readonly<Record<string, Connector>> = { jira, github, synthetic, synthetic_tree: syntheticTree };

/** The connector for `integration`; a PermanentError when none fits (retrying cannot help). */
export const connectorFor = (integration: IntegrationInfo): Connector => {
  const chosen = integration.settings.connector;
  const name = typeof chosen === 'string' ? chosen : integration.provider;
  const connector = Object.hasOwn(connectors, name) ? connectors[name] : undefined;
  if (!connector) {
    throw new PermanentError(`Integration ${integration.id} needs connector "${name}", which this worker does not have (known: ${Object.keys(connectors).join(', ')}); update the workers or fix settings.connector.`);
  }
  return connector;
};
