import { describe, expect, it } from 'vitest';

import { ApiError } from '../../../shared/contract/errors';
import { fieldsState, snapshot } from '../features/mappings/fixtures';
import { memoryStorage, scripted } from '../testing/fake-transport';

import { createAppStore } from './index';


describe('mappings slice', () => {
  it('loads the selected integration, and drops an answer for an integration the operator left', async () => {
    let release: (v: unknown) => void = () => undefined;
    const { client, calls } = scripted(() => new Promise((r) => (release = r)));
    const store = createAppStore({ client, storage: memoryStorage() });
    store.setState({ selectedTenantId: 1 });
    store.getState().selectMappingsIntegration(7);
    const loading = store.getState().loadMappings();
    expect(store.getState().mappings.status).toBe('loading');
    store.getState().selectMappingsIntegration(8);
    release(snapshot(7));
    await loading;
    expect(calls).toEqual([{ method: 'mappings.get', input: { integrationId: 7 } }]);
    expect(store.getState().mappings).toEqual({ data: null, status: 'idle', error: null });
  });

  it('reports a failed load as one sentence, and loads nothing without an integration', async () => {
    const { client, calls } = scripted(() => new ApiError('not_found', 'Integration 7 does not exist for this tenant; pick a Jira integration.'));
    const store = createAppStore({ client, storage: memoryStorage() });
    await store.getState().loadMappings();
    expect(calls).toEqual([]);
    store.getState().selectMappingsIntegration(7);
    await store.getState().loadUnmapped();
    expect(store.getState().unmapped).toEqual({ data: null, status: 'error', error: 'Integration 7 does not exist for this tenant; pick a Jira integration.' });
  });

  it('shows the snapshot a change answers with, and reads the unmapped values again afterwards', async () => {
    const after = snapshot(7);
    after.hierarchies[0]!.levelName = 'Saga';
    const { client, calls } = scripted((method) => (method === 'mappings.hierarchies.update' ? { id: 1, message: 'Saved level 1 "Saga".', snapshot: after } : { integrationId: 7, workItems: 0, types: [], statuses: [] }));
    const store = createAppStore({ client, storage: memoryStorage() });
    store.getState().selectMappingsIntegration(7);
    await store.getState().loadUnmapped();
    expect(store.getState().unmapped.status).toBe('ready');
    const result = await store.getState().changeMappings('mappings.hierarchies.update', { integrationId: 7, id: 1, levelNumber: 1, levelName: 'Saga' });
    expect(result.message).toBe('Saved level 1 "Saga".');
    expect(store.getState().mappings.data?.hierarchies[0]?.levelName).toBe('Saga');
    expect(store.getState().unmapped.status).toBe('idle');
    expect(calls.map((c) => c.method)).toEqual(['mappings.unmapped', 'mappings.hierarchies.update']);
  });

  it('rethrows a refused change for the form, keeping what is shown', async () => {
    const refusal = new ApiError('conflict', 'Not saved: level 1 is already "Epic".', [{ path: 'levelNumber', message: 'level 1 is already "Epic"' }]);
    const { client } = scripted((method) => (method === 'mappings.get' ? snapshot(7) : refusal));
    const store = createAppStore({ client, storage: memoryStorage() });
    store.getState().selectMappingsIntegration(7);
    await store.getState().loadMappings();
    await expect(store.getState().changeMappings('mappings.hierarchies.create', { integrationId: 7, levelNumber: 1, levelName: 'X' })).rejects.toBe(refusal);
    expect(store.getState().mappings.data).toEqual(snapshot(7));
  });

  it('puts a discovery and a saved field mapping into the custom-field state', async () => {
    const state = fieldsState(7);
    const { client } = scripted((method) =>
      method === 'mappings.customFields.discover' ? { discovery: { fields: 4, added: 4, changed: 0, runId: 3, rawId: 9, durationMs: 120 }, state } : { ...state, mapping: { ...state.mapping, team: 'customfield_10033' } },
    );
    const store = createAppStore({ client, storage: memoryStorage() });
    store.getState().selectMappingsIntegration(7);
    expect((await store.getState().discoverFields()).rawId).toBe(9);
    expect(store.getState().customFields.data?.fields).toHaveLength(4);
    await store.getState().saveFieldMapping({ integrationId: 7, ...state.mapping, team: 'customfield_10033' });
    expect(store.getState().customFields.data?.mapping.team).toBe('customfield_10033');
  });

  it('keeps each table its own filters and sort', () => {
    const store = createAppStore({ client: scripted(() => ({})).client, storage: memoryStorage() });
    store.getState().setMappingView('wits', { search: 'bug', state: 'inactive' });
    expect(store.getState().mappingViews.wits).toMatchObject({ search: 'bug', state: 'inactive', sort: 'witFrom' });
    expect(store.getState().mappingViews.statuses).toMatchObject({ search: '', state: 'all' });
    expect(store.getState().mappingViews.hierarchies).toMatchObject({ sort: 'levelNumber', descending: true });
  });

  it('re-transforms through the integration\u2019s job when it has one, else as a run of the integration', async () => {
    const withJob = scripted((method) =>
      method === 'jobs.list'
        ? { jobs: [{ id: 4, active: false }, { id: 5, active: true }], serverTime: '' }
        : { run: { id: 31 }, message: 'Run 31 of job "Nightly" started: it re-transforms 12 stored unit(s) with the current mappings; no API is called.' },
    );
    const a = createAppStore({ client: withJob.client, storage: memoryStorage() });
    a.getState().selectMappingsIntegration(7);
    expect(await a.getState().retransformMappings()).toEqual({ runId: 31, message: 'Run 31 of job "Nightly" started: it re-transforms 12 stored unit(s) with the current mappings; no API is called. Follow it on the Jobs screen.' });
    expect(withJob.calls).toEqual([
      { method: 'jobs.list', input: { integrationId: 7 } },
      { method: 'jobs.retransform', input: { id: 5 } },
    ]);
    const noJob = scripted((method) => (method === 'jobs.list' ? { jobs: [], serverTime: '' } : { runId: 32, units: 1 }));
    const b = createAppStore({ client: noJob.client, storage: memoryStorage() });
    b.getState().selectMappingsIntegration(7);
    expect((await b.getState().retransformMappings()).message).toBe('Re-transform run 32 started with 1 stored unit and the current mappings (no API call); follow it on the Runs screen.');
    expect(noJob.calls.map((c) => c.method)).toEqual(['jobs.list', 'mappings.retransform']);
  });
});
