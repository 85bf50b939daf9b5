import { describe, expect, it } from 'vitest';

import { bundleText, unitLine } from './fixture';
import { parseBundleText } from './parse';
import { BundleStore } from './store';

const parsed = (n = 3, extra: Parameters<typeof unitLine>[1] = {}) =>
  parseBundleText(bundleText(Array.from({ length: n }, (_, i) => unitLine(i + 1, i === 1 ? { stream: 'changelogs', status: 'failed', payload: { note: 'Needle in here' } } : extra))), { fileName: 'a.sluice', maxBytes: 1 << 20 });

describe('BundleStore', () => {
  it('keeps machine bundles for everyone and uploads for their owner only', async () => {
    const store = new BundleStore();
    const mine = store.add(await parsed(), { fileName: 'mine.sluice', openedBy: 'upload', owner: 'alice', reveal: false });
    const machine = store.add(await parsed(), { fileName: 'machine.sluice', openedBy: 'file', owner: null, reveal: false });
    expect(store.visibleTo('alice').map((b) => b.info.id)).toEqual([mine.id, machine.id]);
    expect(store.visibleTo('bob').map((b) => b.info.id)).toEqual([machine.id]);
    expect(() => store.find(mine.id, 'bob')).toThrow('That bundle is not open (any more): open the .sluice file again.');
    expect(store.close(mine.id, 'bob')).toBe(false);
    expect(store.close(mine.id, 'alice')).toBe(true);
    expect(store.visibleTo('alice').map((b) => b.info.id)).toEqual([machine.id]);
  });

  it('summarises streams and filters by stream, status and payload text (case-insensitive)', async () => {
    const store = new BundleStore();
    const info = store.add(await parsed(4), { fileName: 'a.sluice', openedBy: 'file', owner: null, reveal: false });
    expect(info.streams).toEqual([
      { step: 'issues', stream: 'issues', units: 3 },
      { step: 'issues', stream: 'changelogs', units: 1 },
    ]);
    const b = store.find(info.id, 'x');
    expect(store.select(b, {})).toEqual([0, 1, 2, 3]);
    expect(store.select(b, { stream: 'issues' })).toEqual([0, 2, 3]);
    expect(store.select(b, { statuses: ['failed'] })).toEqual([1]);
    expect(store.select(b, { text: 'needle IN' })).toEqual([1]);
    expect(store.select(b, { text: 'acme-4' })).toEqual([3]);
  });

  it('closes the oldest bundles to stay within its limits', async () => {
    const store = new BundleStore({ maxOpen: 2, maxTotalBytes: 1 << 20 });
    const a = store.add(await parsed(), { fileName: 'a.sluice', openedBy: 'file', owner: null, reveal: true });
    const b = store.add(await parsed(), { fileName: 'b.sluice', openedBy: 'file', owner: null, reveal: false });
    const c = store.add(await parsed(), { fileName: 'c.sluice', openedBy: 'file', owner: null, reveal: false });
    expect(store.visibleTo('x').map((o) => o.info.id)).toEqual([b.id, c.id]);
    // The closed one is no longer offered to show.
    expect(store.claimReveal('x', true)).toBeNull();
    const small = new BundleStore({ maxOpen: 10, maxTotalBytes: a.bytes * 2 });
    const first = small.add(await parsed(), { fileName: 'a.sluice', openedBy: 'file', owner: null, reveal: false });
    small.add(await parsed(), { fileName: 'b.sluice', openedBy: 'file', owner: null, reveal: false });
    small.add(await parsed(), { fileName: 'c.sluice', openedBy: 'file', owner: null, reveal: false });
    expect(small.visibleTo('x').map((o) => o.info.id)).not.toContain(first.id);
    expect(small.visibleTo('x')).toHaveLength(2);
  });

  it('tells its listeners when a bundle asks to be shown, and hands the reveal out once', async () => {
    const store = new BundleStore();
    const told: string[] = [];
    const stop = store.onReveal((id) => told.push(id));
    const shown = store.add(await parsed(), { fileName: 'a.sluice', openedBy: 'file', owner: null, reveal: true });
    store.add(await parsed(), { fileName: 'b.sluice', openedBy: 'upload', owner: 'alice', reveal: false });
    expect(told).toEqual([shown.id]);
    expect(store.claimReveal('x', false)).toBe(shown.id);
    expect(store.claimReveal('x', true)).toBe(shown.id);
    expect(store.claimReveal('x', true)).toBeNull();
    stop();
    store.add(await parsed(), { fileName: 'c.sluice', openedBy: 'file', owner: null, reveal: true });
    expect(told).toHaveLength(1);
  });
});
