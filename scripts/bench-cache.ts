/**
 * Benchmark for the local raw cache (not a test): puts/s for small units in one transaction, large
 * payloads, reads and searches, with and without the FTS5 index. Run: `npx tsx scripts/bench-cache.ts`.
 * It also prints how the budget estimate (stats.bytes) compares to the file's real size, which is
 * how FTS_BYTES_PER_PAYLOAD_BYTE in workers/cache/raw-cache.ts was chosen.
 *
 * The cache is loaded through Vite's module runner because its migrations are baked in with
 * `import.meta.glob`, which plain tsx does not understand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runnerImport } from 'vite';

import type * as RawCacheModule from '../workers/cache/raw-cache';
import type { RawCacheUnitInput } from '../workers/cache/raw-cache-schema';

const { module } = await runnerImport<typeof RawCacheModule>(new URL('../workers/cache/raw-cache.ts', import.meta.url).pathname, { configFile: false, logLevel: 'error' });
const { RawCache } = module;

const issue = (i: number) => ({
  id: String(10_000 + i),
  key: `ABC-${i}`,
  fields: {
    summary: `Investigate flaky export number ${i} in module ${i % 17}`,
    status: { name: ['To Do', 'In Progress', 'Done'][i % 3] },
    assignee: { displayName: `User ${i % 50}`, accountId: `acc-${(i * 7919) % 100_003}` },
    updated: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    labels: [`label-${i % 9}`, `team-${i % 5}`],
  },
});

/** A Jira-like page of about `bytes` bytes with varied content (not a repeated string). */
const page = (start: number, bytes: number): string => {
  const parts: string[] = [];
  for (let i = start, size = 0; size < bytes; i++) {
    const s = JSON.stringify(issue(i));
    parts.push(s);
    size += s.length + 1;
  }
  return `{"startAt":${start},"issues":[${parts.join(',')}]}`;
};

const unit = (rawId: number, payload: string): RawCacheUnitInput => ({
  rawId,
  tenantId: 1,
  integrationId: 1,
  runId: 1,
  step: 'issues',
  stream: 'issues',
  requestUrl: 'https://example.atlassian.net/rest/api/3/search/jql',
  requestParams: { startAt: rawId },
  status: 'pending',
  recordCount: 1,
  payload,
  fetchedAt: new Date(),
});

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

const run = (fullTextSearch: boolean) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-cache-'));
  const cache = RawCache.open(join(dir, 'raw-cache.sqlite'), { fullTextSearch });
  try {
    const small = Array.from({ length: 10_000 }, (_, i) => unit(i + 1, page(i * 4, 1000)));
    let t = performance.now();
    cache.putMany(small);
    const smallMs = performance.now() - t;

    const bigPayloads = Array.from({ length: 20 }, (_, i) => page(100_000 + i * 5000, 1024 * 1024));
    t = performance.now();
    bigPayloads.forEach((p, i) => cache.put(unit(20_001 + i, p)));
    const bigMs = performance.now() - t;

    t = performance.now();
    for (let i = 1; i <= 2000; i++) cache.get(i);
    const getMs = performance.now() - t;

    t = performance.now();
    const hits = cache.list({ text: 'ABC-100007' }).items.length;
    const searchMs = performance.now() - t;

    const s = cache.stats();
    console.log(`search=${s.search}`);
    console.log(`  10k x ~1 KB in one transaction: ${smallMs.toFixed(0)} ms = ${rate(10_000, smallMs)}`);
    console.log(`  20 x 1 MB, one put each:        ${bigMs.toFixed(0)} ms = ${rate(20, bigMs)} (${rate(20 * 1024 * 1024, bigMs).replace('/s', ' B/s')})`);
    console.log(`  get (touches LRU):              ${rate(2000, getMs)}`);
    console.log(`  text search over ${s.units} units: ${searchMs.toFixed(1)} ms, ${hits} hit(s)`);
    console.log(`  budget estimate ${mib(s.bytes)} vs file in use ${mib(s.fileBytes)}`);
  } finally {
    cache.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

run(true);
run(false);
