import { describe, expect, it } from 'vitest';

import { methodNames } from '../../../shared/contract/api';
import { dispatch } from '../dispatch';
import { bundleText, unitLine } from '../bundles/fixture';
import { parseBundleText } from '../bundles/parse';
import { BundleStore } from '../bundles/store';
import type { TaskRunner } from '../tasks';
import type { CallContext, Handlers } from '../types';
import { bundleHandlers } from './bundles';

/** The bundle.* methods through the real dispatch (roles, input and output schemas). */

/** Records what the transform task was asked and answers like it would without mappings. */
const tasksAsked: unknown[] = [];
const tasks = {
  run: (task: string, input: unknown) => {
    tasksAsked.push({ task, input });
    return Promise.resolve({ mappingsUsed: false, units: [{ tables: { work_items: [{ key: 'ACME-1' }] }, error: null }] });
  },
} as unknown as TaskRunner;

const setup = async (pickFile: (() => Promise<string | null>) | null = null) => {
  tasksAsked.length = 0;
  const store = new BundleStore();
  const handlers = Object.fromEntries(methodNames.map((m) => [m, () => Promise.reject(new Error(`${m} not in this test`))])) as unknown as Handlers;
  Object.assign(handlers, bundleHandlers({ store, pool: null, tasks, databaseUrl: null, pickFile }));
  const lines = Array.from({ length: 5 }, (_, i) => unitLine(i + 1, i % 2 === 1 ? { stream: 'changelogs', status: 'failed' } : {}));
  const parsed = await parseBundleText(bundleText([...lines, 'broken']), { fileName: 'x.sluice', maxBytes: 1 << 20 });
  const info = store.add(parsed, { fileName: 'export.sluice', openedBy: 'file', owner: null, reveal: true });
  const call = (method: string, input: unknown, ctx: Partial<CallContext> = {}) =>
    dispatch(handlers, method, input, { transport: 'http', tenantId: 7, principal: 'olga', role: 'operator', ...ctx } as CallContext);
  return { store, info, call };
};

describe('bundle.* handlers', () => {
  it('lists the open bundles with the one to show, claimed once', async () => {
    const { info, call } = await setup();
    await expect(call('bundle.list', {})).resolves.toMatchObject({ bundles: [{ id: info.id, fileName: 'export.sluice', units: 5, problemCount: 1, problems: [{ line: 7 }] }], reveal: info.id });
    await expect(call('bundle.list', { claim: true })).resolves.toMatchObject({ reveal: info.id });
    await expect(call('bundle.list', {})).resolves.toMatchObject({ reveal: null });
  });

  it('pages units in file order with filters and a total', async () => {
    const { info, call } = await setup();
    const first = (await call('bundle.units', { bundleId: info.id, limit: 2 })) as { units: { id: number }[]; nextCursor: string | null; total: number };
    expect(first.units.map((u) => u.id)).toEqual([1, 2]);
    expect(first.total).toBe(5);
    const second = (await call('bundle.units', { bundleId: info.id, limit: 2, cursor: first.nextCursor })) as typeof first;
    expect(second.units.map((u) => u.id)).toEqual([3, 4]);
    await expect(call('bundle.units', { bundleId: info.id, statuses: ['failed'] })).resolves.toMatchObject({ units: [{ id: 2 }, { id: 4 }], nextCursor: null, total: 2 });
    await expect(call('bundle.units', { bundleId: info.id, text: 'acme-5' })).resolves.toMatchObject({ units: [{ id: 5 }], total: 1 });
  });

  it('opens one unit with its payload and where its records are', async () => {
    const { info, call } = await setup();
    const got = (await call('bundle.get', { bundleId: info.id, id: 3 })) as { payload: string; connector: string; records: { noun: string } | null };
    expect(JSON.parse(got.payload)).toEqual(unitLine(3).payload);
    expect(got.connector).toBe('jira');
    await expect(call('bundle.get', { bundleId: info.id, id: 99 })).rejects.toMatchObject({ code: 'not_found', message: 'Unit 99 is not in export.sluice.' });
  });

  it('needs an operator, and refuses ids that are not bundle ids', async () => {
    const { info, call } = await setup();
    await expect(call('bundle.list', {}, { role: 'viewer' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(call('bundle.get', { bundleId: info.id, id: 1 }, { role: 'viewer' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(call('bundle.get', { bundleId: '../../etc/passwd', id: 1 })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('bundle.units', { bundleId: info.id, cursor: '-1' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('bundle.get', { bundleId: '00000000-0000-4000-8000-000000000000', id: 1 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('opens the native dialog only over IPC on the desktop, and closes bundles', async () => {
    const picked: string[] = [];
    const { info, call } = await setup(() => (picked.push('asked'), Promise.resolve(null)));
    await expect(call('bundle.pick', {})).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/in the browser, upload the .sluice file/) });
    expect(picked).toEqual([]);
    await expect(call('bundle.pick', {}, { transport: 'ipc' })).resolves.toEqual({ bundle: null });
    expect(picked).toEqual(['asked']);
    await expect(call('bundle.close', { bundleId: info.id })).resolves.toEqual({ closed: true });
    await expect(call('bundle.list', {})).resolves.toMatchObject({ bundles: [] });
  });

  it('previews with the real transform task and says why without mappings when there is no database', async () => {
    const { info, call } = await setup();
    await expect(call('bundle.preview', { bundleId: info.id, id: 1 })).resolves.toEqual({
      unitId: 1,
      connector: 'jira',
      mappingsUsed: false,
      mappingsNote: 'Postgres is not configured: the preview runs without mappings, so every type and status shows as unmapped.',
      tables: { work_items: [{ key: 'ACME-1' }] },
      error: null,
    });
    expect(tasksAsked).toEqual([{ task: 'transform.preview', input: { connector: 'jira', units: [{ stream: 'issues', partition: 'ACME', payload: unitLine(1).payload }], mappingsFrom: null } }]);
  });
});
