import { parentPort, threadId, workerData } from 'node:worker_threads';

import { SupervisorMessage, WORKER_PROTOCOL_VERSION, type Stage, type WorkerMessage } from '../../shared/worker-protocol/protocol';
import { startStagePipeline, type StagePipeline } from './pipeline';
import { parseWorkerSettings } from './settings';
import { StatsReporter } from './stats-reporter';

/**
 * The life of one worker thread, `created → active → stopping → stopped` (as pg-boss's worker):
 * - created: settings are validated and the stage pipeline starts (connect, declare, subscribe);
 *   pings are answered from the first moment, so a slow connect is not mistaken for a hang;
 * - active: `ready` is posted only once the stage queue is consumed; stats follow, throttled;
 * - stopping: on `shutdown {graceMs}` consuming stops and in-flight messages drain within graceMs;
 * - stopped: `stopped` is posted, the port closes and the thread ends with exit code 0.
 * Anything unrecoverable posts `fatal` and ends the thread with exit code 1: the supervisor restarts it.
 */
type State = 'created' | 'active' | 'stopping' | 'stopped';

export const runWorker = (stage: Stage): void => {
  const port = parentPort;
  if (!port) throw new Error(`The ${stage} worker must run in a worker thread started by the Sluice supervisor.`);
  const post = (message: WorkerMessage): void => port.postMessage(message);
  let state: State = 'created';
  let pipeline: StagePipeline | null = null;
  let reporter: StatsReporter | null = null;
  let shutdownRequested: number | null = null;

  const die = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    try {
      post({ type: 'fatal', stage, message });
    } finally {
      // Exit right away: the supervisor restarts the thread, and the broker redelivers whatever was unacked.
      process.exit(1);
    }
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);

  const shutdown = async (graceMs: number): Promise<void> => {
    if (state === 'stopping' || state === 'stopped') return;
    if (state === 'created') {
      // Still starting: remember it and stop as soon as the pipeline is up (it is not consuming yet).
      shutdownRequested = graceMs;
      return;
    }
    state = 'stopping';
    const result = pipeline ? await pipeline.stop(graceMs) : { timedOut: false };
    reporter?.flush();
    reporter?.stop();
    state = 'stopped';
    post({ type: 'stopped', stage, timedOut: result.timedOut });
    port.close();
    // Handlers that outlived the grace period may still hold timers or sockets; their messages are
    // already back in the queue (the connection is closed), so end the thread instead of waiting.
    if (result.timedOut) process.exit(0);
  };

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
        shutdown(message.graceMs).catch(die);
        break;
    }
  });

  const start = async (): Promise<void> => {
    const settings = parseWorkerSettings(workerData);
    if (settings.stage !== stage) throw new Error(`The ${stage} worker entry was started with settings for ${settings.stage}; the supervisor picked the wrong entry.`);
    pipeline = await startStagePipeline(settings, () => undefined);
    const p = pipeline;
    reporter = new StatsReporter(() => p.stats(), (stats) => post({ type: 'stats', stage, stats }), settings.statsIntervalMs);
    state = 'active';
    post({ type: 'ready', stage, protocol: WORKER_PROTOCOL_VERSION, threadId });
    reporter.flush();
    reporter.start();
    if (shutdownRequested !== null) await shutdown(shutdownRequested);
  };
  start().catch(die);
};
