import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { createSharedBudgets, SharedMemoryRateLimiter } from './rate-limit-shared';

const settings = () => ({ capacity: 5, refillPerSecond: 20 });

// A worker thread that takes tokens for ~600 ms and reports when it got them. It loads the TS module
// with tsx's ESM API (the module has no import.meta.glob, so tsx can run it). It says `ready` once
// loaded and waits for `go` with the common start time, so a slow start on a busy machine cannot
// leave one thread outside the window.
const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
const WORKER = `
import { workerData, parentPort } from 'node:worker_threads';
const { tsImport } = await import(${JSON.stringify(tsxApi)});
const { SharedMemoryRateLimiter } = await tsImport(workerData.module, workerData.module);
const rl = new SharedMemoryRateLimiter(workerData.buffer, () => ({ capacity: 5, refillPerSecond: 20 }));
const startAt = await new Promise((resolve) => { parentPort.once('message', resolve); parentPort.postMessage('ready'); });
while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 1));
const times = [];
while (Date.now() - startAt < 600) { await rl.acquire('jira:1'); times.push(Date.now()); }
parentPort.postMessage(times);
`;

describe('SharedMemoryRateLimiter', () => {
  it('shares one bucket between limiters on the same buffer', async () => {
    const buffer = createSharedBudgets();
    const a = new SharedMemoryRateLimiter(buffer, settings);
    const b = new SharedMemoryRateLimiter(buffer, settings);
    for (let i = 0; i < 3; i++) await a.acquire('jira:1');
    expect((await b.state('jira:1')).tokens).toBeLessThan(2.5);
    await b.acquire('jira:1');
    await b.acquire('jira:1');
    const { waitedMs } = await a.acquire('jira:1');
    expect(waitedMs).toBeGreaterThanOrEqual(20);
    await b.pauseUntil('gh:2', Date.now() + 100);
    expect((await a.state('gh:2')).pausedUntil).not.toBeNull();
    expect((await a.state('other')).tokens).toBe(5);
  });

  it('keeps worker threads within one budget', async () => {
    const buffer = createSharedBudgets();
    const module = new URL('./rate-limit-shared.ts', import.meta.url).href;
    const workers = [0, 1, 2].map(() => new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER)}`), { workerData: { buffer, module } }));
    const next = (w: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    await Promise.all(workers.map(next)); // every thread loaded and waiting
    const startAt = Date.now() + 200;
    const finished = workers.map((w) => next(w) as Promise<number[]>);
    for (const w of workers) w.postMessage(startAt);
    const results = await Promise.all(finished);
    const all = results.flat().sort((x, y) => x - y);
    expect(results.every((r) => r.length > 0)).toBe(true);
    // Burst of 5, then 20/s for ~600 ms: about 17, never the 3 x 17 that separate buckets would allow.
    const elapsed = all.at(-1)! - startAt;
    expect(all.length).toBeLessThanOrEqual(5 + Math.ceil((elapsed / 1000) * 20) + 1);
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => new SharedMemoryRateLimiter(new SharedArrayBuffer(8), settings)).toThrow(/createSharedBudgets/);
  });
});
