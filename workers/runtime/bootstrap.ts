import { parentPort, threadId } from 'node:worker_threads';

import { SupervisorMessage, WORKER_PROTOCOL_VERSION, type Stage, type WorkerMessage } from '../../shared/worker-protocol/protocol';

/**
 * The common start of every worker thread: announce readiness with the protocol version, answer
 * pings (liveness), and leave cleanly on `shutdown`. Stage handlers plug in on top of this.
 */
export const runWorker = (stage: Stage): void => {
  const port = parentPort;
  if (!port) throw new Error(`The ${stage} worker must run in a worker thread started by the Sluice supervisor.`);
  const post = (message: WorkerMessage) => port.postMessage(message);

  port.on('message', (raw: unknown) => {
    const parsed = SupervisorMessage.safeParse(raw);
    if (!parsed.success) {
      post({ type: 'fatal', stage, message: `unknown supervisor message: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ping':
        post({ type: 'pong', id: message.id });
        break;
      case 'shutdown':
        post({ type: 'stopped', stage });
        port.close();
        break;
    }
  });
  post({ type: 'ready', stage, protocol: WORKER_PROTOCOL_VERSION, threadId });
};
