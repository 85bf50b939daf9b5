import { WORKER_PROTOCOL_VERSION, WorkerSettings } from '../../shared/worker-protocol/protocol';

/**
 * Reads the thread's `workerData`. A wrong shape is a setup error (an old engine, a hand-started
 * thread): it is reported as one sentence naming the fields, and the thread refuses to start.
 */
export const parseWorkerSettings = (data: unknown): WorkerSettings => {
  if (data === undefined || data === null) {
    throw new Error('This worker thread got no settings (workerData); start it through the Sluice supervisor.');
  }
  const protocol = (data as { protocol?: unknown }).protocol;
  if (protocol !== WORKER_PROTOCOL_VERSION) {
    throw new Error(`This worker speaks protocol ${WORKER_PROTOCOL_VERSION} but was started with protocol ${String(protocol)}; rebuild so engine and workers match.`);
  }
  const parsed = WorkerSettings.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ');
    throw new Error(`Invalid worker settings (${issues}); fix what the supervisor passes.`);
  }
  return parsed.data;
};
