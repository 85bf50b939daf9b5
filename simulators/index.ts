/** Public API of the simulators (see simulators/README.md). */
export { generateWorld, worldCounts, DEFAULT_ANCHOR, type GenerateOptions } from './generator/generate';
export { SCALES, isScaleName, type ScaleName, type WorldCounts } from './generator/scale';
export { startJiraSimulator, type JiraSimulatorOptions } from './jira/server';
export { startGithubSimulator, type GithubSimulatorOptions } from './github/server';
export { startDemoSimulators, type DemoSimulators, type DemoOptions } from './demo';
export { DEFAULT_TOKEN, type RunningSimulator, type SimulatorControl } from './http/simulator';
export { ERROR_KINDS, parseFaults, type Faults, type FaultsInput, type ErrorFault } from './faults/faults';
export { loadWorld, writeWorld } from './world/ndjson';
export { emptyWorld, type World, type WorldMeta, type JiraWorld, type GithubWorld } from './world/types';
export type { WorldSource } from './world/source';
export { startQdrantDouble, DOUBLE_TITLE, type QdrantDoubleOptions, type QdrantDoubleStats, type RunningQdrantDouble } from './qdrant/server';
