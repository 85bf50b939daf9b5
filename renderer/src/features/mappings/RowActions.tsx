import type { ReactNode } from 'react';

/** What the signed-in role may do to a mapping row (each from its own contract method). */
export interface RowPermissions {
  readonly update: boolean;
  readonly setActive: boolean;
  readonly remove: boolean;
}

interface RowHandlers<T> {
  readonly active: (row: T) => boolean;
  readonly busy: (row: T) => boolean;
  readonly onEdit: (row: T) => void;
  readonly onToggle: (row: T) => void;
  readonly onDelete: (row: T) => void;
}

/**
 * The Edit / Activate-Deactivate / Delete buttons of a mapping table's row, each shown only when the
 * role may make its call; undefined (no actions column) when it may make none of them.
 */
export const rowActions = <T,>(can: RowPermissions, h: RowHandlers<T>): ((row: T) => ReactNode) | undefined => {
  if (!(can.update || can.setActive || can.remove)) return undefined;
  const RowButtons = (row: T) => (
    <>
      {can.update ? (
        <button type="button" className="button small" onClick={() => h.onEdit(row)} data-testid="edit-row">
          Edit
        </button>
      ) : null}
      {can.setActive ? (
        <button type="button" className="button small" onClick={() => h.onToggle(row)} disabled={h.busy(row)} data-testid={h.active(row) ? 'deactivate-row' : 'activate-row'}>
          {h.active(row) ? 'Deactivate' : 'Activate'}
        </button>
      ) : null}
      {can.remove ? (
        <button type="button" className="button small danger" onClick={() => h.onDelete(row)} disabled={h.busy(row)} data-testid="delete-row">
          Delete
        </button>
      ) : null}
    </>
  );
  return RowButtons;
};
