import { parentPort, workerData } from 'node:worker_threads';

import { runTaskRequest } from '../tasks/run';

/**
 * A one-shot task thread (shared/worker-protocol/tasks.ts): reads its request from `workerData`,
 * runs it, posts exactly one reply and ends. The engine bounds it with a timeout and terminates it
 * if it hangs; nothing here outlives the reply.
 */
const port = parentPort;
if (!port) throw new Error('The task worker must run in a worker thread started by the Sluice engine.');
void runTaskRequest(workerData).then((reply) => {
  port.postMessage(reply);
  port.close();
});
