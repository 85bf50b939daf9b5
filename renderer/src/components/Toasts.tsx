import { useEffect } from 'react';
import { Link } from 'react-router';

import { useAppStore } from '../app/context';
import type { Toast } from '../store/types';

import { MessageText } from './MessageText';

const AUTO_DISMISS_MS: Record<Toast['tone'], number | null> = { info: 6000, warn: 15000, error: null };

function ToastCard({ toast }: { toast: Toast }) {
  const dismiss = useAppStore((s) => s.dismissToast);
  useEffect(() => {
    const after = AUTO_DISMISS_MS[toast.tone];
    if (after === null) return;
    const timer = setTimeout(() => dismiss(toast.id), after);
    return () => clearTimeout(timer);
  }, [toast.id, toast.tone, dismiss]);
  return (
    <div className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'} data-testid="toast" data-tone={toast.tone} data-run={toast.runId ?? ''}>
      <div className="toast-title">{toast.title}</div>
      <div className="toast-body">
        <MessageText text={toast.message} />
      </div>
      <div className="toast-actions">
        {toast.runId !== undefined ? (
          <Link to={`/runs?run=${toast.runId}`} className="button small" onClick={() => dismiss(toast.id)} data-testid="toast-open-run">
            Open run {toast.runId}
          </Link>
        ) : null}
        <button type="button" className="button small ghost" onClick={() => dismiss(toast.id)} aria-label="Dismiss" data-testid="toast-dismiss">
          Dismiss
        </button>
      </div>
    </div>
  );
}

/** The toast stack in the corner of every screen; errors stay until dismissed, the rest fade after a while. */
export function Toasts() {
  const toasts = useAppStore((s) => s.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <ToastCard key={t.id} toast={t} />
      ))}
    </div>
  );
}
