import type { ReactNode } from 'react';

/** A modal card over the screen; the page behind is inert until it closes. Escape closes it. */
export function Dialog({ title, testId, children, actions, onClose }: { title: string; testId: string; children: ReactNode; actions: ReactNode; onClose?: () => void }) {
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => (e.key === 'Escape' ? onClose?.() : undefined)}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={`${testId}-title`} data-testid={testId}>
        <h2 id={`${testId}-title`}>{title}</h2>
        <div className="dialog-body">{children}</div>
        <div className="dialog-actions">{actions}</div>
      </div>
    </div>
  );
}
