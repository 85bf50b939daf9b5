import type { FaultState } from '../faults/faults';
import type { GithubWorld } from '../world/types';
import type { RateBook } from './rate';
import type { GithubStore } from './store';

export interface GithubContext {
  world: GithubWorld;
  store: GithubStore;
  faults: FaultState;
  rates: RateBook;
}

export const DOCS = 'https://docs.github.com/rest';
