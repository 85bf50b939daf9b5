import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EventPayload } from '../../shared/contract/api';
import { EventHub } from '../../main/engine/events';
import { runHandlers } from '../../main/engine/handlers/runs';
import { ProgressFeed } from '../../main/engine/runs/progress-feed';
import { startRun } from '../../main/engine/runs/start';
import type { CallContext } from '../../main/engine/types';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { generateWorld, startJiraSimulator, startQdrantDouble, type RunningQdrantDouble, type RunningSimulator } from '../../simulators';
import { VectorSettings } from '../../shared/vectors/settings';
import { createPipelineHarness, type PipelineHarness } from './pipeline-harness';
import { waitFor } from './queue-harness';
import { requireEnv } from './support/env';

/**
 * Issue 9, the job cards' vectorize circle: vectors lag behind a run (it ends when loaded), so the
 * progress the engine pushes carries, per step, the loaded units the vectorize stage has finished, and
 * keeps coming after the run ended until they caught up. Proven by running a Jira run with no vectorize
 * thread (the jobs wait in their queue), then starting one: the pushes after the end climb to every unit.
 */
const TOKEN = 'vectors-progress-token';
type Progress = EventPayload<'runs.progress'>;

describe('vectorize progress of a run', () => {
  let h: PipelineHarness;
  let qdrant: RunningQdrantDouble;
  let jira: RunningSimulator;
  let feed: ProgressFeed;
  const supervisors: Supervisor[] = [];
  const pushed: (Progress & { receivedAt: number })[] = [];
  const world = generateWorld({ scale: 'small', seed: 47 });
  let vectors: VectorSettings;
  let ctx: CallContext;

  beforeAll(async () => {
    h = await createPipelineHarness('vecprog');
    qdrant = await startQdrantDouble();
    jira = await startJiraSimulator({ world, token: TOKEN });
    vectors = VectorSettings.parse({ qdrantUrl: qdrant.url, collectionPrefix: 'it_vecprog', embeddings: { provider: 'offline' }, sweepIntervalMs: 500 });
    const hub = new EventHub();
    hub.subscribe((event, payload) => {
      if (event === 'runs.progress') pushed.push({ ...(payload as Progress), receivedAt: Date.now() });
    });
    feed = new ProgressFeed(h.pool, hub, { logger: pino({ level: 'silent' }), redisUrl: requireEnv('REDIS_URL'), keyPrefix: h.queues.prefix, vectorsEnabled: true });
    await feed.start();
    ctx = { transport: 'test', tenantId: h.tenantId, principal: 'test-viewer' };
    // Extract, transform and load only: the vectorize jobs load publishes wait in their queue.
    supervisors.push(await h.start('pipeline', { extract: 1, transform: 1, load: 1 }, {}, {}, { redisUrl: requireEnv('REDIS_URL'), vectors }));
  }, 120_000);
  afterAll(async () => {
    for (const s of supervisors) await s.stop(5_000);
    await feed?.close();
    await Promise.all([jira?.stop(), qdrant?.stop()]);
    await h?.cleanup();
  });

  const loadedUnits = (p: Progress): number => p.steps.reduce((n, s) => n + s.units - s.failed - s.skipped - s.pending, 0);
  const vectorizedUnits = (p: Progress): number => p.steps.reduce((n, s) => n + (s.vectorize?.units ?? 0), 0);

  it('pushes the vectorize stage behind the run, and on after the run ended until every loaded unit has its vectors', async () => {
    const integrationId = await h.createIntegration({ provider: 'jira', name: 'Jira', baseUrl: jira.url, settings: { email: 'etl@example.com', overlapMinutes: 0 }, token: TOKEN });
    const { runId } = await startRun(h.pool, { tenantId: h.tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
    feed.touch(runId);
    expect(await h.waitForRunEnd(runId, 180_000)).toBe('succeeded');

    // Ended and loaded, and no vector yet: every step says how many loaded units wait for the stage.
    await waitFor('the push of the ended run', () => pushed.some((p) => p.runId === runId && p.state === 'succeeded'), 10_000);
    const atEnd = (await runHandlers({ pool: h.pool, feed })['runs.progressOf']({ id: runId }, ctx));
    expect(atEnd.state).toBe('succeeded');
    expect(loadedUnits(atEnd)).toBeGreaterThan(0);
    for (const s of atEnd.steps) expect(s.vectorize).toEqual({ units: 0, ofUnits: s.units - s.failed - s.skipped - s.pending, entities: 0 });
    const endedAt = Date.now();

    // A vectorize thread drains the queue: its signals keep the run's pushes coming after the end.
    supervisors.push(await h.start('pipeline', { vectorize: 1 }, {}, {}, { redisUrl: requireEnv('REDIS_URL'), vectors, handlers: { vectorize: 'vectorize' } }));
    await waitFor('a push with every loaded unit vectorized', () => pushed.some((p) => p.runId === runId && p.receivedAt > endedAt && vectorizedUnits(p) === loadedUnits(p)), 120_000);
    const after = pushed.filter((p) => p.runId === runId && p.receivedAt > endedAt);
    // Each push after the end is still the ended run, its vectorized count only growing.
    expect(after.every((p) => p.state === 'succeeded')).toBe(true);
    for (let i = 1; i < after.length; i++) expect(vectorizedUnits(after[i]!)).toBeGreaterThanOrEqual(vectorizedUnits(after[i - 1]!));
    const last = after.at(-1)!;
    // The issues step embedded one entity per issue; steps whose units embed nothing are done with none.
    const issues = last.steps.find((s) => s.step === 'issues');
    expect(issues?.vectorize?.entities).toBe(world.jira.issues.length);
    for (const s of last.steps) expect(s.vectorize!.units).toBe(s.vectorize!.ofUnits);
    // The one-shot read (a card opened later) agrees with the last push.
    const read = await runHandlers({ pool: h.pool, feed })['runs.progressOf']({ id: runId }, ctx);
    expect(read.steps.map((s) => [s.step, s.vectorize])).toEqual(last.steps.map((s) => [s.step, s.vectorize]));
  }, 300_000);

  it('reads another tenant’s run as not found, and says "off" (null) when vectors are disabled', async () => {
    const runId = pushed[0]!.runId;
    await expect(runHandlers({ pool: h.pool, feed })['runs.progressOf']({ id: runId }, { ...ctx, tenantId: h.tenantId + 1000 })).rejects.toMatchObject({ code: 'not_found' });
    const off = new ProgressFeed(h.pool, new EventHub(), { logger: pino({ level: 'silent' }) });
    const read = await runHandlers({ pool: h.pool, feed: off })['runs.progressOf']({ id: runId }, ctx);
    expect(read.steps.length).toBeGreaterThan(0);
    expect(read.steps.every((s) => s.vectorize === null)).toBe(true);
    await off.close();
  });
});
