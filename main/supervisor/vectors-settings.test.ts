import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { WORKER_PROTOCOL_VERSION, type Stage } from '../../shared/worker-protocol/protocol';
import { VectorSettings } from '../../shared/vectors/settings';
import { Supervisor } from './supervisor';

/**
 * Which thread gets what of the vector settings: vectorize threads the whole settings (Qdrant and
 * embedding keys), every other thread only the flag that vectors are on (load publishes its jobs),
 * and without settings nobody gets either. A fake entry writes down its workerData.
 */
const dir = mkdtempSync(join(tmpdir(), 'sluice-vector-settings-'));
const entry = join(dir, 'record.mjs');
writeFileSync(
  entry,
  `import { parentPort, workerData } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(dir)} + '/' + workerData.hostId + '-' + workerData.stage + '.json', JSON.stringify({ vectorsEnabled: workerData.vectorsEnabled, vectors: workerData.vectors ?? null }));
parentPort.on('message', (m) => {
  if (m.type === 'ping') parentPort.postMessage({ type: 'pong', id: m.id });
  if (m.type === 'shutdown') { parentPort.postMessage({ type: 'stopped', stage: workerData.stage, timedOut: false }); parentPort.close(); }
});
parentPort.postMessage({ type: 'ready', stage: workerData.stage, protocol: ${WORKER_PROTOCOL_VERSION}, threadId: 1 });
`,
);

const supervisors: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop(1_000)));
});

const recorded = (host: string, stage: Stage) => JSON.parse(readFileSync(join(dir, `${host}-${stage}.json`), 'utf8')) as { vectorsEnabled: boolean; vectors: unknown };

const start = async (host: string, vectors: VectorSettings | null) => {
  const s = new Supervisor({ entries: () => ({ kind: 'file', path: entry }), counts: { extract: 1, load: 1, vectorize: 1 }, settings: { hostId: host, rabbitmqUrl: 'amqp://127.0.0.1:1', vectors } });
  supervisors.push(s);
  s.start();
  await s.waitUntilReady(10_000);
};

describe('vector settings per thread', () => {
  const vectors = VectorSettings.parse({ qdrantUrl: 'http://127.0.0.1:6333', qdrantApiKey: 'qdrant-secret', embeddings: { provider: 'openai', url: 'https://api.example/v1', model: 'm', key: 'sk-secret' } });

  it('gives the keys to vectorize threads only, and the flag to the others', async () => {
    await start('on', vectors);
    expect(recorded('on', 'vectorize')).toEqual({ vectorsEnabled: true, vectors });
    for (const stage of ['extract', 'load'] as const) expect(recorded('on', stage)).toEqual({ vectorsEnabled: true, vectors: null });
  });

  it('without vector settings no thread publishes vectorize jobs or holds a key', async () => {
    await start('off', null);
    for (const stage of ['extract', 'load', 'vectorize'] as const) expect(recorded('off', stage)).toEqual({ vectorsEnabled: false, vectors: null });
  });
});
