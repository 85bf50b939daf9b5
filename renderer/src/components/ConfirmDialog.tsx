import type { ReactNode } from 'react';

import { Dialog } from './Dialog';
import { MessageText } from './MessageText';
import { Notice } from './Notice';

/** "Are you sure?" with the consequence spelled out; the confirm button names the action. */
export function ConfirmDialog({
  title,
  testId,
  children,
  confirmLabel,
  danger = false,
  busy = false,
  error = null,
  onConfirm,
  onCancel,
}: {
  title: string;
  testId: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      title={title}
      testId={testId}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy} data-testid={`${testId}-cancel`}>
            Cancel
          </button>
          <button type="button" className={`button ${danger ? 'danger' : 'primary'}`} onClick={onConfirm} disabled={busy} data-testid={`${testId}-confirm`} autoFocus>
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      {error ? (
        <Notice tone="error" testId={`${testId}-error`}>
          <MessageText text={error} />
        </Notice>
      ) : null}
    </Dialog>
  );
}
