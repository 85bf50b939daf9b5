import { describe, expect, it, vi } from 'vitest';

/**
 * The console page is not cross-origin isolated, so it has no SharedArrayBuffer. The contract (and
 * the worker-protocol schemas it reuses) must still load there: a module-level reference once
 * blanked the whole console.
 */
describe('the API contract in a page without SharedArrayBuffer', () => {
  it('loads and validates', async () => {
    const saved = globalThis.SharedArrayBuffer;
    Reflect.deleteProperty(globalThis, 'SharedArrayBuffer');
    try {
      expect(typeof (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer).toBe('undefined');
      vi.resetModules();
      const api = await import('../../../shared/contract/api');
      expect(Object.keys(api.methods)).toContain('workers.status');
      const parsed = api.methods['workers.status'].output.safeParse({ embedded: { state: 'off', reason: 'x', hostId: null, pools: [] }, hosts: [], hostsNote: null });
      expect(parsed.success).toBe(true);
    } finally {
      globalThis.SharedArrayBuffer = saved;
    }
  });
});
