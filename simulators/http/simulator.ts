/** The handle both `startJiraSimulator` and `startGithubSimulator` return. */
import type { Faults, FaultsInput, FaultState } from '../faults/faults';
import type { World } from '../world/types';
import type { Stats } from './base';

export interface SimulatorControl {
  faults(): Faults;
  /** Replaces every switch. */
  setFaults(faults: FaultsInput): Faults;
  /** Changes the given switches and appends the given errors. */
  mergeFaults(faults: FaultsInput): Faults;
  clearFaults(): void;
  /** Simulates activity: updates `count` records (issues or PRs) now; returns their keys. */
  update(count: number): string[];
  stats(): Stats;
}

export interface RunningSimulator {
  /** Base URL, `http://127.0.0.1:<port>` with no trailing slash. */
  url: string;
  world: World;
  /** The credential the simulator accepts. */
  token: string;
  control: SimulatorControl;
  stop(): Promise<void>;
}

export const DEFAULT_TOKEN = 'sluice-sim-token';

export function controlOf(faults: FaultState, update: (n: number) => string[], stats: Stats): SimulatorControl {
  return {
    faults: () => faults.get(),
    setFaults: (f) => faults.replace(f),
    mergeFaults: (f) => faults.merge(f),
    clearFaults: () => faults.clear(),
    update,
    stats: () => stats,
  };
}
