import type { StageHandler } from '../queue/consumer';
import type { Publisher } from '../queue/publisher';
import type { Stage, WorkerSettings } from '../../shared/worker-protocol/protocol';

/** What a handler factory gets from the runtime: the thread's settings and its confirmed publisher. */
export interface HandlerDeps {
  readonly settings: WorkerSettings;
  readonly publisher: Publisher;
  /**
   * Registers cleanup (pools, caches, Redis clients) that the runtime runs once the thread's
   * in-flight messages have drained at shutdown; otherwise open connections would keep a drained
   * thread alive until the supervisor terminates it.
   */
  readonly onDispose: (dispose: () => Promise<void> | void) => void;
}

/**
 * A named handler. `stages` says where it may run; the runtime refuses (with `fatal`) a name that is
 * unknown or not meant for the thread's stage, rather than consuming messages it cannot handle.
 */
export interface HandlerDefinition {
  readonly stages: readonly Stage[];
  readonly description: string;
  create<S extends Stage>(stage: S, deps: HandlerDeps): StageHandler<S>;
}
