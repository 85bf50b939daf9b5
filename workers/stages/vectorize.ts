import { createEmbedder } from '../vectorize/embedders';
import { createVectorizeHandler } from '../vectorize/handler';
import { VectorStore } from '../vectorize/qdrant';
import { Sweeper } from '../vectorize/sweeper';
import { threadPool } from '../pipeline/units';
import { createProgress } from './progress';
import type { HandlerDefinition } from './types';

/**
 * `vectorize`: embeds what load wrote (work items, PRs) and the Jira mapping tables the Mappings hub
 * changed into Qdrant and keeps the qdrant_vectors bridge in step (workers/vectorize). Needs Postgres
 * (`databaseUrl`) and `settings.vectors` (Qdrant and the embedder); the engine selects it only when
 * QDRANT_URL is set, and leaves `noop` otherwise. Each thread also sweeps the points of deleted entities.
 */
export const vectorize: HandlerDefinition = {
  stages: ['vectorize'],
  description: 'embeds loaded work items and PRs, and the Jira mapping tables, into Qdrant, keeps qdrant_vectors in step, deletes points of deleted entities',
  create: (_stage, deps) => {
    const { settings, publisher, onDispose } = deps;
    if (!settings.databaseUrl) throw new Error('The vectorize handler needs Postgres but the vectorize worker got no databaseUrl; pass it in the supervisor settings.');
    const vectors = settings.vectors;
    if (!vectors) throw new Error('The vectorize handler needs Qdrant but the vectorize worker got no vector settings (QDRANT_URL unset?); run the `noop` handler when vectors are off.');
    const pool = threadPool(settings.databaseUrl, Math.min(settings.prefetch + 2, 20));
    onDispose(() => pool.end());
    const store = new VectorStore({ url: vectors.qdrantUrl, apiKey: vectors.qdrantApiKey });
    const sweeper = new Sweeper({ pool, store, intervalMs: vectors.sweepIntervalMs, onError: (error) => console.warn(`[sluice vectors] sweeping deleted entities failed, retrying later: ${error.message}`) });
    sweeper.start();
    // Before the pool closes: a sweep in flight needs it.
    onDispose(() => sweeper.stop());
    // Each finished unit signals its run, so the job cards' vectorize circle moves live, also after the run ended.
    const progress = createProgress(deps);
    const handle = createVectorizeHandler({
      pool,
      publisher,
      store,
      embedder: createEmbedder(vectors.embeddings),
      collectionPrefix: vectors.collectionPrefix,
      onUnitDone: (runId) => progress.touch(runId, 'vectorize'),
    });
    return (message, ctx) => handle(message, ctx);
  },
};
