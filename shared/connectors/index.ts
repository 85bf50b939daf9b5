import { githubPlan } from './github';
import { jiraPlan } from './jira';
import type { ConnectorPlan } from './plan';

export { GithubSettings, JiraSettings, settingsSchemaFor } from './settings';
export { ConnectorPlan, StepPlan, StreamPlan, planStreams, rootStreams, upstreamOf } from './plan';

/** The plan of each provider an integration can have (integrations.provider). */
export const connectorPlans: Readonly<Record<string, ConnectorPlan>> = { jira: jiraPlan, github: githubPlan };
