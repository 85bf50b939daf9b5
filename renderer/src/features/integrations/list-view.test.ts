import { describe, expect, it } from 'vitest';

import type { IntegrationView } from '../../store/types';
import { integration } from '../../testing/fixtures';

import { nextSort, visibleIntegrations } from './list-view';

const list = [
  integration(1, 'beta jira', { updatedAt: '2025-03-01T00:00:00.000Z' }),
  integration(2, 'Alpha GitHub', { provider: 'github', baseUrl: 'https://api.github.com', active: false, updatedAt: '2025-01-01T00:00:00.000Z' }),
  integration(3, 'Gamma', { updatedAt: '2025-02-01T00:00:00.000Z' }),
];
const view = (v: Partial<IntegrationView> = {}): IntegrationView => ({ search: '', provider: 'all', state: 'all', sort: 'name', descending: false, ...v });
const names = (v: Partial<IntegrationView>) => visibleIntegrations(list, view(v)).map((i) => i.name);

describe('visibleIntegrations', () => {
  it('sorts by name ignoring case, and reverses on descending', () => {
    expect(names({})).toEqual(['Alpha GitHub', 'beta jira', 'Gamma']);
    expect(names({ descending: true })).toEqual(['Gamma', 'beta jira', 'Alpha GitHub']);
  });

  it('sorts by provider, state (active first) and update time', () => {
    expect(names({ sort: 'provider' })).toEqual(['Alpha GitHub', 'beta jira', 'Gamma']);
    expect(names({ sort: 'state' })).toEqual(['beta jira', 'Gamma', 'Alpha GitHub']);
    expect(names({ sort: 'updated' })).toEqual(['Alpha GitHub', 'Gamma', 'beta jira']);
  });

  it('filters by text in name or URL, by provider and by state', () => {
    expect(names({ search: 'GITHUB.com' })).toEqual(['Alpha GitHub']);
    expect(names({ search: '  gam ' })).toEqual(['Gamma']);
    expect(names({ provider: 'jira' })).toEqual(['beta jira', 'Gamma']);
    expect(names({ state: 'inactive' })).toEqual(['Alpha GitHub']);
    expect(names({ state: 'active', provider: 'github' })).toEqual([]);
  });

  it('does not reorder the store list it was given', () => {
    visibleIntegrations(list, view({ sort: 'updated', descending: true }));
    expect(list.map((i) => i.id)).toEqual([1, 2, 3]);
  });
});

describe('nextSort', () => {
  it('flips the sorted column, starts another ascending', () => {
    expect(nextSort(view(), 'name')).toEqual({ sort: 'name', descending: true });
    expect(nextSort(view({ descending: true }), 'updated')).toEqual({ sort: 'updated', descending: false });
  });
});
