import { useState } from 'react';

import type { EntityCounts, VectorEntity } from '../../../../shared/contract/vectors';

import { completionState, count, percent, pointsNote } from './format';

/** Database vs vector counts per entity kind, with the re-embed actions ("all" asks once more). */
/** Without `onReembed` (the role may not re-embed) the table has no actions column. */
export function EntityTable({ entities, busy, onReembed }: { entities: EntityCounts[]; busy: VectorEntity | null; onReembed?: (entity: VectorEntity, scope: 'missing' | 'all') => void }) {
  const [confirming, setConfirming] = useState<VectorEntity | null>(null);
  return (
    <table className="data-table vectors-table" data-testid="vector-counts">
      <thead>
        <tr>
          <th scope="col">Entity</th>
          <th scope="col">In database</th>
          <th scope="col">Vectorized</th>
          <th scope="col">Points in Qdrant</th>
          <th scope="col">Stale</th>
          <th scope="col">Deleting</th>
          <th scope="col">Completion</th>
          {onReembed ? (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {entities.map((e) => {
          const note = pointsNote(e);
          return (
            <tr key={e.entity} data-testid={`vector-row-${e.entity}`} data-state={completionState(e)} data-completion={e.completion}>
              <td className="strong">
                {e.label}
                {e.byIntegration.length > 0 ? (
                  <div className="muted small" data-testid="by-integration">
                    {e.byIntegration.map((i) => `${i.name ?? `deleted integration ${i.integrationId}`}: ${count(i.vectorized)} of ${count(i.database)}`).join(' · ')}
                  </div>
                ) : null}
              </td>
              <td data-testid="count-database">{count(e.database)}</td>
              <td data-testid="count-vectorized">{count(e.vectorized)}</td>
              <td data-testid="count-points">
                {count(e.points)}
                {note ? <div className="muted small">{note}</div> : null}
              </td>
              <td data-testid="count-stale">{count(e.stale)}</td>
              <td data-testid="count-deleting">{count(e.pendingDeletes)}</td>
              <td>
                <div className="completion" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={e.completion} aria-label={`${e.label} vectorized`}>
                  <div className={`completion-bar ${completionState(e)}`} style={{ width: `${e.completion}%` }} />
                </div>
                <span className="small" data-testid="completion">
                  {percent(e.completion)}
                </span>
              </td>
              {onReembed ? (
                <td className="actions">
                  {confirming === e.entity ? (
                    <>
                      <button
                        type="button"
                        className="button small danger"
                        disabled={busy !== null}
                        onClick={() => {
                          setConfirming(null);
                          onReembed(e.entity, 'all');
                        }}
                        data-testid="confirm-reembed-all"
                      >
                        Re-embed all {count(e.database)}
                      </button>
                      <button type="button" className="button small ghost" onClick={() => setConfirming(null)} data-testid="cancel-reembed-all">
                        Cancel
                      </button>
                    </>
                  ) : (
                    <>
                      <button type="button" className="button small" disabled={busy !== null} onClick={() => onReembed(e.entity, 'missing')} data-testid="reembed-missing" title="Embed the rows without a current vector">
                        Re-embed missing
                      </button>
                      <button type="button" className="button small" disabled={busy !== null || e.database === 0} onClick={() => setConfirming(e.entity)} data-testid="reembed-all" title="Embed every row again">
                        Re-embed all
                      </button>
                    </>
                  )}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
