import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { builtTaskEntry, sourceTaskEntry } from '../../../main/engine/tasks';
import { builtWorkerEntries, sourceWorkerEntries, type WorkerEntry } from '../../../main/supervisor/entries';
import type { Stage } from '../../../shared/worker-protocol/protocol';

/**
 * Worker-thread and task entries for tests. The suite runner (scripts/test.mjs) builds first and sets
 * SLUICE_TEST_BUILT=1: then threads start from the built bundles in out/main, in a fraction of a
 * second. Otherwise (a single test file run by hand) they start from the TypeScript sources through
 * tsx, so a stale build can never be what a test exercises; compiling the worker graph per thread
 * takes seconds, which on a loaded two-core machine decides whether a pool is ready in time.
 */
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const useBuilt = process.env['SLUICE_TEST_BUILT'] === '1';
const builtMain = pathToFileURL(join(repoRoot, 'out', 'main', 'cli.js')).href;

export const testWorkerEntries = (): ((stage: Stage) => WorkerEntry) => (useBuilt ? builtWorkerEntries(builtMain) : sourceWorkerEntries(repoRoot));

export const testTaskEntry = (): WorkerEntry => (useBuilt ? builtTaskEntry(builtMain) : sourceTaskEntry(repoRoot));
