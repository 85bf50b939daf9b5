import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { WorkerMessage, WORKER_PROTOCOL_VERSION } from '../../shared/worker-protocol/protocol';

/**
 * The thread lifecycle without a broker: settings are checked before anything connects, pings are
 * answered while starting, and a start that cannot succeed ends in `fatal` and a non-zero exit.
 * The consuming path (ready → stats → drain → stopped) runs against RabbitMQ in
 * tests/integration/supervisor-*.test.ts.
 */

/** Starts a worker entry from source (tsx compiles it inside the thread), as the supervisor does in tests. */
const startEntry = (stage: string, workerData?: unknown) => {
  const entry = new URL(`../entries/${stage}.worker.ts`, import.meta.url).href;
  // `--import tsx` in a worker's execArgv is not honoured on Node 20, so load the entry through tsx's API.
  const code = `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(code, { eval: true, workerData });
};

const next = async (worker: Worker) => WorkerMessage.parse((await once(worker, 'message'))[0]);
const exitCode = async (worker: Worker) => ((await once(worker, 'exit')) as [number])[0];

const settings = (over: Record<string, unknown> = {}) => ({
  protocol: WORKER_PROTOCOL_VERSION,
  stage: 'transform',
  hostId: 'unit',
  handler: 'noop',
  // Nothing listens on port 1: the connect attempt fails fast.
  rabbitmqUrl: 'amqp://guest:guest@127.0.0.1:1',
  connectTimeoutMs: 1_500,
  ...over,
});

describe('worker bootstrap', () => {
  it('refuses to start without settings: fatal, then exit code 1', async () => {
    const worker = startEntry('load');
    try {
      const fatal = await next(worker);
      expect(fatal).toMatchObject({ type: 'fatal', stage: 'load' });
      expect(fatal.type === 'fatal' && fatal.message).toMatch(/got no settings/);
      expect(await exitCode(worker)).toBe(1);
    } finally {
      await worker.terminate();
    }
  });

  it('refuses an unknown handler name before connecting', async () => {
    const worker = startEntry('transform', settings({ handler: 'does-not-exist' }));
    try {
      const fatal = await next(worker);
      expect(fatal.type === 'fatal' && fatal.message).toMatch(/No stage handler is named "does-not-exist"/);
      expect(await exitCode(worker)).toBe(1);
    } finally {
      await worker.terminate();
    }
  });

  it('refuses settings meant for another stage', async () => {
    const worker = startEntry('extract', settings());
    try {
      const fatal = await next(worker);
      expect(fatal.type === 'fatal' && fatal.message).toMatch(/started with settings for transform/);
    } finally {
      await worker.terminate();
    }
  });

  it('answers pings while connecting, then gives up with a fatal naming RabbitMQ', async () => {
    const worker = startEntry('transform', settings());
    try {
      worker.postMessage({ type: 'ping', id: 7 });
      expect(await next(worker)).toEqual({ type: 'pong', id: 7 });
      const fatal = await next(worker);
      expect(fatal.type === 'fatal' && fatal.message).toMatch(/RabbitMQ is not reachable/);
      expect(await exitCode(worker)).toBe(1);
    } finally {
      await worker.terminate();
    }
  });

  it('reports a malformed supervisor message instead of ignoring it', async () => {
    const worker = startEntry('transform', settings({ connectTimeoutMs: 10_000 }));
    try {
      worker.postMessage({ type: 'explode' });
      const msg = await next(worker);
      expect(msg.type).toBe('fatal');
    } finally {
      await worker.terminate();
    }
  });
});
