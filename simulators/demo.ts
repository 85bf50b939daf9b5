/**
 * `startDemoSimulators`: both simulators on one shared `demo` world, for `sluice start`. The world is
 * anchored at today's date (UTC midnight) so the demo data looks recent while staying deterministic for
 * a given day; creating the Demo tenant and its integrations is the caller's job.
 */
import { generateWorld } from './generator/generate';
import { startGithubSimulator } from './github/server';
import { DEFAULT_TOKEN, type RunningSimulator } from './http/simulator';
import { startJiraSimulator } from './jira/server';
import type { World } from './world/types';

export interface DemoSimulators {
  world: World;
  jira: RunningSimulator;
  github: RunningSimulator;
  /** The credential both simulators accept. */
  token: string;
  stop(): Promise<void>;
}

export interface DemoOptions {
  token?: string;
  seed?: number;
  jiraPort?: number;
  githubPort?: number;
}

export async function startDemoSimulators(options: DemoOptions = {}): Promise<DemoSimulators> {
  const today = new Date();
  const anchor = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const world = generateWorld({ scale: 'demo', seed: options.seed ?? 1, anchor });
  const token = options.token ?? DEFAULT_TOKEN;
  const jira = await startJiraSimulator({ world, token, ...(options.jiraPort ? { port: options.jiraPort } : {}) });
  try {
    const github = await startGithubSimulator({ world, token, ...(options.githubPort ? { port: options.githubPort } : {}) });
    return { world, jira, github, token, stop: async () => void (await Promise.all([jira.stop(), github.stop()])) };
  } catch (e) {
    await jira.stop();
    throw e;
  }
}
