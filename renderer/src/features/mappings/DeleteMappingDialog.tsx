import { useState } from 'react';

import { useAppStore } from '../../app/context';
import { Dialog } from '../../components/Dialog';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { count } from './DataTable';

export interface DeleteMappingTarget {
  readonly kind: 'wit' | 'status';
  readonly id: number;
  readonly name: string;
  /** Loaded work items that use the mapping (from the snapshot): above zero, the delete is a soft one. */
  readonly workItems: number;
}

const uses = (t: DeleteMappingTarget): string => {
  const n = `${count(t.workItems)} loaded work item${t.workItems === 1 ? '' : 's'}`;
  const one = t.workItems === 1;
  return t.kind === 'wit' ? `${n} ${one ? 'is' : 'are'} of this type` : `${n} ${one ? 'is or was' : 'are or were'} in this status`;
};

/** Deleting a type or status mapping: says beforehand whether it is removed or, being used, deactivated. */
export function DeleteMappingDialog({ integrationId, target, onDone, onCancel }: { integrationId: number; target: DeleteMappingTarget; onDone: (message: string) => void; onCancel: () => void }) {
  const change = useAppStore((s) => s.changeMappings);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const soft = target.workItems > 0;
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const input = { integrationId, id: target.id };
      const result = target.kind === 'wit' ? await change('mappings.witMappings.delete', input) : await change('mappings.statusMappings.delete', input);
      onDone(result.message);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`Delete the mapping of ${target.name}?`}
      testId="delete-mapping-dialog"
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} autoFocus data-testid="cancel-delete-mapping">
            Cancel
          </button>
          <button type="button" className="button danger solid" onClick={() => void confirm()} disabled={busy} data-testid="confirm-delete-mapping">
            {busy ? 'Working…' : soft ? 'Deactivate' : 'Delete'}
          </button>
        </>
      }
    >
      {error ? (
        <Notice tone="error" testId="delete-mapping-error">
          <MessageText text={error} />
        </Notice>
      ) : null}
      <p data-testid="delete-mapping-plan" data-soft={String(soft)}>
        {soft
          ? `${uses(target)}, so the mapping is kept and deactivated (a soft delete): runs stop applying it, and you can activate it again.`
          : `No loaded work item ${target.kind === 'wit' ? 'is of this type' : 'is or was in this status'}: the mapping is removed.`}
      </p>
      <p className="muted small">It applies from the next run; re-transform to apply it to the data already loaded.</p>
    </Dialog>
  );
}
