import type { FaultState } from '../faults/faults';
import type { JiraWorld } from '../world/types';
import type { CursorCodec } from './cursor';
import type { JiraStore } from './store';

/** What every Jira route needs. */
export interface JiraContext {
  world: JiraWorld;
  store: JiraStore;
  faults: FaultState;
  cursor: CursorCodec;
  /** Most recent histories embedded by `expand=changelog` on search (Jira Cloud caps them). */
  changelogEmbedLimit: number;
}
