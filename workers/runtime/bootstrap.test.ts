import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { Stage, WorkerMessage, WORKER_PROTOCOL_VERSION } from '../../shared/worker-protocol/protocol';

/** Starts a worker entry from source (tsx compiles it inside the thread), as the supervisor does with the built file. */
const startEntry = (stage: string) => {
  const entry = new URL(`../entries/${stage}.worker.ts`, import.meta.url).href;
  // `--import tsx` in a worker's execArgv is not honoured on Node 20, so load the entry through tsx's API.
  const code = `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(code, { eval: true });
};

const next = async (worker: Worker) => WorkerMessage.parse((await once(worker, 'message'))[0]);

describe('worker bootstrap', () => {
  it.each(Stage.options)('%s worker announces itself, answers pings and stops on shutdown', async (stage) => {
    const worker = startEntry(stage);
    try {
      const ready = await next(worker);
      expect(ready).toMatchObject({ type: 'ready', stage, protocol: WORKER_PROTOCOL_VERSION });
      worker.postMessage({ type: 'ping', id: 7 });
      expect(await next(worker)).toEqual({ type: 'pong', id: 7 });
      worker.postMessage({ type: 'shutdown', graceMs: 0 });
      expect(await next(worker)).toEqual({ type: 'stopped', stage });
      const [code] = (await once(worker, 'exit')) as [number];
      expect(code).toBe(0);
    } finally {
      await worker.terminate();
    }
  });

  it('reports a malformed supervisor message instead of ignoring it', async () => {
    const worker = startEntry('load');
    try {
      await next(worker);
      worker.postMessage({ type: 'explode' });
      const msg = await next(worker);
      expect(msg.type).toBe('fatal');
    } finally {
      await worker.terminate();
    }
  });
});
