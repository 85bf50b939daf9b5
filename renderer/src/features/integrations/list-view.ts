import type { Integration } from '../../../../shared/contract/integrations';
import type { IntegrationView } from '../../store/types';

export const providerLabels: Record<Integration['provider'], string> = { jira: 'Jira Cloud', github: 'GitHub' };

const compare = (sort: IntegrationView['sort']) => (a: Integration, b: Integration): number => {
  const byName = a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
  switch (sort) {
    case 'provider':
      return a.provider.localeCompare(b.provider) || byName;
    case 'state':
      // Active first when ascending: that is what operators look for.
      return Number(b.active) - Number(a.active) || byName;
    case 'updated':
      return Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || byName;
    default:
      return byName;
  }
};

/** The rows the table shows: filtered by name/URL text, provider and state, then sorted. */
export function visibleIntegrations(list: readonly Integration[], view: IntegrationView): Integration[] {
  const needle = view.search.trim().toLowerCase();
  const rows = list.filter(
    (i) =>
      (view.provider === 'all' || i.provider === view.provider) &&
      (view.state === 'all' || i.active === (view.state === 'active')) &&
      (!needle || i.name.toLowerCase().includes(needle) || i.baseUrl.toLowerCase().includes(needle)),
  );
  rows.sort(compare(view.sort));
  return view.descending ? rows.reverse() : rows;
}

/** Clicking the sorted column flips the direction; another column sorts ascending. */
export function nextSort(view: IntegrationView, sort: IntegrationView['sort']): Pick<IntegrationView, 'sort' | 'descending'> {
  return view.sort === sort ? { sort, descending: !view.descending } : { sort, descending: false };
}
