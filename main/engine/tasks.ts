import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ApiError } from '../../shared/contract/errors';
import {
  TASK_PROTOCOL_VERSION,
  TaskReply,
  taskDefs,
  type TaskInput,
  type TaskName,
  type TaskOutput,
  type TaskRequest,
} from '../../shared/worker-protocol/tasks';
import { spawnWorker, type WorkerEntry } from '../supervisor/entries';

/**
 * Runs one-shot tasks (shared/worker-protocol/tasks.ts) in a fresh worker thread, by entry path:
 * the engine never imports worker code (DESIGN.md section 2). One thread per task keeps a slow or
 * hung API call from touching anything else, and the thread (with the token in its workerData) is
 * gone when the call returns.
 */
export interface TaskRunner {
  run<T extends TaskName>(task: T, input: TaskInput<T>, options?: { timeoutMs?: number }): Promise<TaskOutput<T>>;
}

/** The built entry next to the built engine (out/main/workers/task.js), also from a shared chunk. */
export const builtTaskEntry = (mainModuleUrl: string): WorkerEntry => {
  const here = dirname(fileURLToPath(mainModuleUrl));
  const dir = basename(here) === 'chunks' ? dirname(here) : here;
  return { kind: 'file', path: join(dir, 'workers', 'task.js') };
};

/** The TypeScript entry, compiled in the thread by tsx (tests, running from source). */
export const sourceTaskEntry = (repoRoot: string): WorkerEntry => ({ kind: 'source', path: join(repoRoot, 'workers', 'entries', 'task.worker.ts') });

export const DEFAULT_TASK_TIMEOUT_MS = 30_000;

export const createTaskRunner = (entry: WorkerEntry, defaults: { timeoutMs?: number } = {}): TaskRunner => ({
  run: <T extends TaskName>(task: T, input: TaskInput<T>, options: { timeoutMs?: number } = {}): Promise<TaskOutput<T>> => {
    const timeoutMs = options.timeoutMs ?? defaults.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
    if (!existsSync(entry.path)) {
      return Promise.reject(new ApiError('unavailable', `The task worker ${entry.path} is missing; run \`npm run build\` (or reinstall Sluice).`));
    }
    const request: TaskRequest = { protocol: TASK_PROTOCOL_VERSION, task, input };
    return new Promise<TaskOutput<T>>((resolve, reject) => {
      const worker = spawnWorker(entry, { workerData: request, name: `sluice-task-${task}` });
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
        // The reply is all we need: end the thread now rather than wait for its idle sockets to close.
        void worker.terminate();
      };
      const timer = setTimeout(
        () => finish(() => reject(new ApiError('unavailable', `The ${task} task did not finish within ${Math.round(timeoutMs / 1000)} s; the API may be slow or unreachable, try again.`))),
        timeoutMs,
      );
      worker.once('message', (raw: unknown) => {
        const reply = TaskReply.safeParse(raw);
        if (!reply.success) return finish(() => reject(new Error(`The ${task} task sent a reply that breaks the task protocol; the worker bundle may be from another version.`)));
        const r = reply.data;
        if (!r.ok) {
          // `input` means the engine sent something the worker refuses: a bug, logged as internal by the engine.
          return finish(() => reject(r.error.kind === 'failed' ? new ApiError('unavailable', r.error.message) : new Error(r.error.message)));
        }
        const output = taskDefs[task].output.safeParse(r.output);
        if (!output.success) return finish(() => reject(new Error(`The ${task} task returned output that breaks its schema.`)));
        finish(() => resolve(output.data as TaskOutput<T>));
      });
      worker.once('error', (error) => finish(() => reject(error)));
      worker.once('exit', (code) => finish(() => reject(new Error(`The ${task} task thread ended (exit code ${code}) without a reply.`))));
    });
  },
});
