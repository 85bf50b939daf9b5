import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

import type { Stage } from '../../shared/worker-protocol/protocol';

/**
 * How to start a worker thread for a stage. The supervisor never imports worker code (DESIGN.md
 * section 2): it only knows where the entry is.
 * - `file`: a built entry, `out/main/workers/<stage>.js` (production, `sluice worker`).
 * - `source`: a TypeScript entry compiled inside the thread by tsx (tests, benchmarks on source).
 */
export type WorkerEntry = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'source'; readonly path: string };

/**
 * The built entries next to the built main module: the build emits `out/main/<name>.js` and
 * `out/main/workers/<stage>.js`, so `mainModuleUrl` is `import.meta.url` of code in out/main.
 */
export const builtWorkerEntries = (mainModuleUrl: string) => {
  const here = dirname(fileURLToPath(mainModuleUrl));
  // The bundler may place the calling code in a shared chunk (out/main/chunks/): the entries are one level up.
  const dir = basename(here) === 'chunks' ? dirname(here) : here;
  return (stage: Stage): WorkerEntry => ({ kind: 'file', path: join(dir, 'workers', `${stage}.js`) });
};

/** Source entries under `<repoRoot>/workers/entries/<stage>.worker.ts`, started through tsx. */
export const sourceWorkerEntries = (repoRoot: string) => (stage: Stage): WorkerEntry => ({
  kind: 'source',
  path: join(repoRoot, 'workers', 'entries', `${stage}.worker.ts`),
});

/** Starts the thread. A missing built file fails here with what to do, not as an opaque thread error. */
export const spawnWorker = (entry: WorkerEntry, options: WorkerOptions): Worker => {
  if (!existsSync(entry.path)) {
    throw new Error(`The worker entry ${entry.path} does not exist; run \`npm run build\` (or check the install).`);
  }
  if (entry.kind === 'file') return new Worker(entry.path, options);
  // `--import tsx` in a worker's execArgv is not honoured on Node 20, so load the entry through tsx's API.
  const href = pathToFileURL(entry.path).href;
  const code = `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(href)}, ${JSON.stringify(href)}))`;
  return new Worker(code, { ...options, eval: true });
};
