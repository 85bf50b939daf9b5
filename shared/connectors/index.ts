import { githubPlan } from './github';
import { jiraPlan } from './jira';
import type { ConnectorPlan } from './plan';
import { syntheticPlan, syntheticTreePlan } from './synthetic';

export { GithubSettings, JiraSettings, settingsSchemaFor } from './settings';
export { ConnectorPlan, StepPlan, StreamPlan, planStreams, rootStreams, upstreamOf } from './plan';

/**
 * The plan of each connector, by the name an integration picks: `settings.connector` when set (the
 * synthetic test connectors), else its provider.
 */
export const connectorPlans: Readonly<Record<string, ConnectorPlan>> = { jira: jiraPlan, github: githubPlan, synthetic: syntheticPlan, 'synthetic_tree': syntheticTreePlan };

/** The connector name of an integration (see connectorPlans). */
export const connectorNameOf = (integration: { readonly provider: string; readonly settings: Readonly<Record<string, unknown>> }): string =>
  typeof integration.settings['connector'] === 'string' ? integration.settings['connector'] : integration.provider;

/** The plan an integration follows; undefined when no connector has that name. */
export const planFor = (integration: { readonly provider: string; readonly settings: Readonly<Record<string, unknown>> }): ConnectorPlan | undefined => {
  const name = connectorNameOf(integration);
  return Object.hasOwn(connectorPlans, name) ? connectorPlans[name] : undefined;
};
