import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Several processes (as extract worker hosts on one desktop, or threads) open one cache file at the
 * same moment and write, upsert, read and evict concurrently. The file must migrate once, no writer
 * may fail on a lock, and the budget totals must equal the rows afterwards.
 */
const repo = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'sluice-raw-cache-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Runs in each child: the cache module is loaded through Vite's runner because its migrations are
// baked with import.meta.glob. Every child starts at the same wall-clock instant to race the open.
const CHILD = `
import { runnerImport } from 'vite';
const [path, who, startAt, budget] = process.argv.slice(1);
const { module } = await runnerImport(${JSON.stringify(join(repo, 'workers/cache/raw-cache.ts'))}, { configFile: false, logLevel: 'error' });
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
const cache = module.RawCache.open(path, { budgetBytes: Number(budget) });
const base = Number(who) * 10_000;
const unit = (rawId, text) => ({ rawId, tenantId: 1, integrationId: Number(who) + 1, runId: 7, step: 'issues', stream: 'issues',
  requestUrl: 'https://example.test/search', payload: JSON.stringify({ who: Number(who), text, pad: 'x'.repeat(rawId % 3 === 0 ? 9000 : 300) }), fetchedAt: new Date() });
let evicted = 0;
for (let batch = 0; batch < 20; batch++) {
  const units = Array.from({ length: 25 }, (_, i) => unit(base + batch * 25 + i + 1, 'writer' + who + ' batch' + batch));
  units.push(unit(1, 'shared row written by ' + who)); // every process upserts the same id
  evicted += cache.putMany(units).evicted;
  cache.get(base + 1);
  cache.list({ text: 'batch' + batch }, { limit: 5 });
}
process.stdout.write(JSON.stringify({ who: Number(who), evicted, stats: cache.stats() }));
cache.close();
`;

const runChild = (args: string[]): Promise<{ who: number; evicted: number }> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolvePromise(JSON.parse(out) as { who: number; evicted: number }) : reject(new Error(`writer ${args[1]} exited ${code}: ${err}`))));
  });

describe('raw cache shared by several processes', () => {
  it('migrates once, never fails on a lock, and keeps totals equal to the rows', async () => {
    const path = join(dir, 'cache', 'raw-cache.sqlite');
    const budget = 1_500_000; // below what the four writers produce, so eviction runs concurrently too
    const startAt = String(Date.now() + 4_000);
    const results = await Promise.all([0, 1, 2, 3].map((who) => runChild([path, String(who), startAt, String(budget)])));
    expect(results.map((r) => r.who).sort()).toEqual([0, 1, 2, 3]);
    expect(results.reduce((n, r) => n + r.evicted, 0)).toBeGreaterThan(0);

    const db = new Database(path, { readonly: true });
    try {
      const migrations = db.prepare('SELECT name FROM sluice_migrations ORDER BY name').all();
      expect(migrations).toEqual([{ name: '0001_cache_meta.sql' }, { name: '0002_raw_units.sql' }]);
      const rows = db.prepare('SELECT count(*) AS n, coalesce(sum(stored_bytes), 0) AS bytes FROM raw_units').get() as { n: number; bytes: number };
      const totals = db.prepare('SELECT units AS n, bytes FROM raw_totals').get();
      expect(totals).toEqual(rows);
      expect(rows.bytes).toBeLessThanOrEqual(budget + 20_000); // at most the last batch's spared units above it
      // The search index holds exactly the cached rows: eviction removed the rest from it too.
      const indexed = db.prepare("SELECT count(*) AS n FROM raw_units_fts WHERE raw_units_fts MATCH 'writer0 OR writer1 OR writer2 OR writer3 OR shared'").get() as { n: number };
      expect(indexed.n).toBe(rows.n);
      // The shared id holds one complete version (the last writer's), not a mix.
      const shared = db.prepare("SELECT count(*) AS n FROM raw_units_fts WHERE raw_units_fts MATCH 'shared'").get() as { n: number };
      expect(shared.n).toBeLessThanOrEqual(1);
    } finally {
      db.close();
    }
  });
});
