import type { ReactNode } from 'react';

/** What a screen will hold, until it does. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <h2>{title}</h2>
      <p>{children}</p>
    </div>
  );
}
