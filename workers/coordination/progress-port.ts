import { parentPort } from 'node:worker_threads';

import type { Stage, WorkerMessage } from '../../shared/worker-protocol/protocol';
import type { ProgressBus, ProgressListener } from './progress';
import { ProgressEvent } from './progress-schema';

/**
 * Progress without Redis: events go to the supervisor of this thread's process through the worker
 * protocol (`{ type: 'progress' }`), and the engine there turns them into `runs.progress`. Only for
 * embedded workers (a `sluice worker` host needs Redis to reach any console). Publish only.
 */
export class ParentPortProgressBus implements ProgressBus {
  constructor(private readonly stage: Stage) {}

  async publish(event: ProgressEvent): Promise<void> {
    const message: WorkerMessage = { type: 'progress', stage: this.stage, event: ProgressEvent.parse(event) };
    parentPort?.postMessage(message);
  }

  async subscribe(_listener: ProgressListener): Promise<() => Promise<void>> {
    throw new Error('Progress sent to the supervisor cannot be subscribed to from a worker thread; the engine receives it.');
  }
}
