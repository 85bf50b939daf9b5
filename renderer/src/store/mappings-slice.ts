import type { StateCreator } from 'zustand';

import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/api';
import type { CustomFieldsState, FieldDiscovery, MappingsChange, MappingsSnapshot, UnmappedValues } from '../../../shared/contract/mappings';

import { describeError } from './describe-error';
import type { ApiCaller, AppState, LoadStatus } from './types';

export type MappingsTab = 'hierarchies' | 'wits' | 'statuses' | 'workflow' | 'fields' | 'unmapped';
export type MappingTable = 'hierarchies' | 'wits' | 'statuses' | 'workflow' | 'fields' | 'unmappedTypes' | 'unmappedStatuses';

/** Filters and sort of one table: view state, kept while the operator moves between tabs and screens. */
export interface TableView {
  search: string;
  state: 'all' | 'active' | 'inactive';
  /** A second filter per table (level, step, category...); 'all' when off. */
  filter: string;
  sort: string;
  descending: boolean;
}

/** The calls that answer with a MappingsChange (every mutation of the four mapping tables). */
export type ChangeMethod = { [M in MethodName]: MethodOutput<M> extends MappingsChange ? M : never }[MethodName];

export interface Loadable<T> {
  data: T | null;
  status: LoadStatus;
  error: string | null;
}

export interface MappingsSlice {
  /** The Jira integration the hub shows; null until the operator (or the first load) picks one. */
  mappingsIntegrationId: number | null;
  mappingsTab: MappingsTab;
  mappings: Loadable<MappingsSnapshot>;
  customFields: Loadable<CustomFieldsState>;
  unmapped: Loadable<UnmappedValues>;
  mappingViews: Record<MappingTable, TableView>;
  selectMappingsIntegration(id: number | null): void;
  setMappingsTab(tab: MappingsTab): void;
  setMappingView(table: MappingTable, view: Partial<TableView>): void;
  loadMappings(): Promise<void>;
  loadCustomFields(): Promise<void>;
  loadUnmapped(): Promise<void>;
  /** A mutation of the mapping tables; its snapshot replaces the one shown. Rethrows the ApiError for the form. */
  changeMappings<M extends ChangeMethod>(method: M, input: MethodInput<M>): Promise<MappingsChange>;
  discoverFields(): Promise<FieldDiscovery>;
  saveFieldMapping(input: MethodInput<'mappings.customFields.save'>): Promise<CustomFieldsState>;
  /**
   * Re-transforms the integration's stored raw data with the current mappings: through its job when it
   * has one (the Jobs screen then shows the run and its live progress), else as a run of the integration.
   */
  retransformMappings(): Promise<RetransformStarted>;
}

export interface RetransformStarted {
  readonly runId: number;
  /** What started, for the hub's notice. */
  readonly message: string;
}

const idle = <T>(): Loadable<T> => ({ data: null, status: 'idle', error: null });

export const defaultSorts: Record<MappingTable, string> = {
  hierarchies: 'levelNumber',
  wits: 'witFrom',
  statuses: 'statusFrom',
  workflow: 'stepNumber',
  fields: 'name',
  unmappedTypes: 'workItems',
  unmappedStatuses: 'workItems',
};
// Levels read top-down and unmapped values biggest first: that is what operators look for.
const descendingFirst = new Set<MappingTable>(['hierarchies', 'unmappedTypes', 'unmappedStatuses']);

export const defaultView = (table: MappingTable): TableView => ({ search: '', state: 'all', filter: 'all', sort: defaultSorts[table], descending: descendingFirst.has(table) });

const views = (): Record<MappingTable, TableView> =>
  Object.fromEntries((Object.keys(defaultSorts) as MappingTable[]).map((t) => [t, defaultView(t)])) as Record<MappingTable, TableView>;

export const createMappingsSlice =
  (client: ApiCaller): StateCreator<AppState, [['zustand/persist', unknown]], [], MappingsSlice> =>
  (set, get) => {
    /** Loads one part for the current integration; an answer for an integration (or tenant) the operator left is dropped. */
    const load = async <K extends 'mappings' | 'customFields' | 'unmapped'>(key: K, fetch: (integrationId: number) => Promise<NonNullable<AppState[K]['data']>>): Promise<void> => {
      const integrationId = get().mappingsIntegrationId;
      const tenantId = get().selectedTenantId;
      if (integrationId === null) {
        set({ [key]: idle() } as Partial<AppState>);
        return;
      }
      const previous = get()[key];
      const keep = previous.data && (previous.data as { integrationId: number }).integrationId === integrationId ? previous.data : null;
      set({ [key]: { data: keep, status: 'loading', error: null } } as Partial<AppState>);
      const current = () => get().mappingsIntegrationId === integrationId && get().selectedTenantId === tenantId;
      try {
        const data = await fetch(integrationId);
        if (current()) set({ [key]: { data, status: 'ready', error: null } } as Partial<AppState>);
      } catch (error) {
        if (current()) set({ [key]: { data: keep, status: 'error', error: describeError(error) } } as Partial<AppState>);
      }
    };
    const integration = (): number => {
      const id = get().mappingsIntegrationId;
      if (id === null) throw new Error('No Jira integration is selected.');
      return id;
    };

    return {
      mappingsIntegrationId: null,
      mappingsTab: 'hierarchies',
      mappings: idle(),
      customFields: idle(),
      unmapped: idle(),
      mappingViews: views(),
      selectMappingsIntegration: (id) => {
        if (id === get().mappingsIntegrationId) return;
        set({ mappingsIntegrationId: id, mappings: idle(), customFields: idle(), unmapped: idle() });
      },
      setMappingsTab: (tab) => set({ mappingsTab: tab }),
      setMappingView: (table, view) => set({ mappingViews: { ...get().mappingViews, [table]: { ...get().mappingViews[table], ...view } } }),

      loadMappings: () => load('mappings', (integrationId) => client.call('mappings.get', { integrationId })),
      loadCustomFields: () => load('customFields', (integrationId) => client.call('mappings.customFields.get', { integrationId })),
      loadUnmapped: () => load('unmapped', (integrationId) => client.call('mappings.unmapped', { integrationId })),

      async changeMappings(method, input) {
        const result = (await client.call(method, input)) as MappingsChange;
        if (result.snapshot.integrationId === get().mappingsIntegrationId) set({ mappings: { data: result.snapshot, status: 'ready', error: null } });
        // Mapped-now flags of the unmapped values depend on the mappings: read them again when next shown.
        set({ unmapped: idle() });
        return result;
      },

      async discoverFields() {
        const { discovery, state } = await client.call('mappings.customFields.discover', { integrationId: integration() });
        if (state.integrationId === get().mappingsIntegrationId) set({ customFields: { data: state, status: 'ready', error: null } });
        return discovery;
      },

      async saveFieldMapping(input) {
        const state = await client.call('mappings.customFields.save', input);
        if (state.integrationId === get().mappingsIntegrationId) set({ customFields: { data: state, status: 'ready', error: null } });
        return state;
      },

      async retransformMappings() {
        const integrationId = integration();
        const { jobs } = await client.call('jobs.list', { integrationId });
        const job = jobs.find((j) => j.active) ?? jobs[0];
        if (job) {
          const { run, message } = await client.call('jobs.retransform', { id: job.id });
          return { runId: run.id, message: `${message} Follow it on the Jobs screen.` };
        }
        const { runId, units } = await client.call('mappings.retransform', { integrationId });
        return {
          runId,
          message: `Re-transform run ${runId} started with ${units.toLocaleString()} stored unit${units === 1 ? '' : 's'} and the current mappings (no API call); follow it on the Runs screen.`,
        };
      },
    };
  };
