import type { CollectionInfo } from '../../../../shared/contract/vectors';

import { count } from './format';

export function CollectionsTable({ collections }: { collections: CollectionInfo[] }) {
  return (
    <table className="data-table" data-testid="collections">
      <thead>
        <tr>
          <th scope="col">Collection</th>
          <th scope="col">Entity</th>
          <th scope="col">Points</th>
          <th scope="col">Dimensions</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {collections.length === 0 ? (
          <tr>
            <td colSpan={5} className="muted" data-testid="collections-empty">
              No collections yet: the vectorize stage creates one per entity kind the first time it embeds one.
            </td>
          </tr>
        ) : (
          collections.map((c) => (
            <tr key={c.name} data-testid="collection-row" data-name={c.name}>
              <td className="mono">{c.name}</td>
              <td>{c.entity ?? <span className="muted">unknown</span>}</td>
              <td>{count(c.points)}</td>
              <td>{c.dimensions ?? '—'}</td>
              <td>{c.status ?? <span className="muted">unreadable</span>}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
