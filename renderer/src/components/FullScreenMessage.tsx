import type { ReactNode } from 'react';

/** A centred card that replaces the whole console (no access, no engine). */
export function FullScreenMessage({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <div className="fullscreen" data-testid={testId}>
      <div className="fullscreen-card" role="alert">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Sluice</span>
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </div>
  );
}
