import { afterEach, describe, expect, it } from 'vitest';

import { MemoryProgressBus, ProgressPublisher, subscribeProgress } from './progress';
import type { ProgressEvent } from './progress-schema';

const counters = (extracted: number) => ({ steps: [{ stepKey: 'issues', extracted, transformed: 0, loaded: 0, vectorized: 0, failed: 0 }] });

const publishers: ProgressPublisher[] = [];
afterEach(async () => {
  for (const p of publishers.splice(0)) await p.close();
});

const setup = async (perSecond: number) => {
  const bus = new MemoryProgressBus();
  const events: (ProgressEvent & { receivedAt: number })[] = [];
  await subscribeProgress(bus, (e) => events.push({ ...e, receivedAt: Date.now() }));
  const publisher = new ProgressPublisher(bus, { perSecond, source: 'test' });
  publishers.push(publisher);
  return { bus, events, publisher };
};

const waitFor = async (what: string, cond: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ProgressPublisher', () => {
  it('sends the first report at once, coalesces the rest, and always delivers the last value', async () => {
    const { events, publisher } = await setup(10);
    const started = Date.now();
    let n = 0;
    // Bursts of reports, as a busy handler makes them: coalescing must hold however slow the timers run.
    while (Date.now() - started < 450) {
      for (let i = 0; i < 50; i++) publisher.report(7, counters(++n));
      await new Promise((r) => setTimeout(r, 2));
    }
    await waitFor('the last value', () => events.at(-1)?.counters?.steps[0]?.extracted === n);
    expect(events[0]!.counters!.steps[0]!.extracted).toBe(1);
    // 10/s over ~450 ms (+ the trailing event): far fewer events than reports.
    expect(events.length).toBeLessThanOrEqual(7);
    expect(n).toBeGreaterThan(events.length * 5);
    // Spacing is measured where it is decided, at the send (`at`): receipt times also carry the test's own
    // event-loop delays, which on a loaded machine bunch two events up without the publisher being wrong.
    for (let i = 1; i < events.length; i++) expect(Date.parse(events[i]!.at) - Date.parse(events[i - 1]!.at)).toBeGreaterThanOrEqual(95);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.every((e) => e.runId === 7 && e.source === 'test')).toBe(true);
  });

  it('throttles each run separately', async () => {
    const { events, publisher } = await setup(2);
    publisher.report(1, counters(1));
    publisher.report(2, counters(1));
    expect(events.map((e) => e.runId)).toEqual([1, 2]);
  });

  it('flushes the pending value of a run on end, ignoring the rate', async () => {
    const { events, publisher } = await setup(1);
    publisher.report(1, counters(1));
    publisher.report(1, counters(2));
    await publisher.end(1);
    expect(events.map((e) => e.counters?.steps[0]!.extracted)).toEqual([1, 2]);
  });

  it('coalesces "run changed" signals: counters null, the stages touched since the last event', async () => {
    const { events, publisher } = await setup(2);
    publisher.touch(9, 'extract');
    publisher.touch(9, 'transform');
    publisher.touch(9, 'load');
    publisher.touch(9, 'transform');
    await publisher.end(9);
    expect(events.map((e) => ({ runId: e.runId, counters: e.counters, stages: [...e.stages].sort() }))).toEqual([
      { runId: 9, counters: null, stages: ['extract'] },
      { runId: 9, counters: null, stages: ['load', 'transform'] },
    ]);
    // Nothing new: nothing sent.
    await publisher.flush(9);
    expect(events).toHaveLength(2);
  });

  it('rejects counters that do not match the schema', async () => {
    const { publisher } = await setup(4);
    expect(() => publisher.report(1, { steps: [{ stepKey: 'x', extracted: -1, transformed: 0, loaded: 0, vectorized: 0, failed: 0 }] })).toThrow();
    expect(() => publisher.report(1, { steps: [], rateLimit: { tokens: 5, capacity: 10, resetAt: 'tomorrow' } })).toThrow();
  });

  it('unsubscribes', async () => {
    const bus = new MemoryProgressBus();
    const got: number[] = [];
    const off = await subscribeProgress(bus, (e) => got.push(e.seq));
    const publisher = new ProgressPublisher(bus);
    publishers.push(publisher);
    publisher.report(1, counters(1));
    await off();
    await publisher.end(1);
    publisher.report(1, counters(2));
    expect(got).toEqual([1]);
  });
});
