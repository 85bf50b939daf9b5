import type { ReactNode } from 'react';

import { EmptyState } from './EmptyState';
import { PageHeader } from './PageHeader';

/** A screen that is not built yet: its name and one or two sentences on what will be there. */
export function PlaceholderPage({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="page" data-testid={`${id}-page`}>
      <PageHeader title={title} />
      <EmptyState title="Coming soon">{children}</EmptyState>
    </section>
  );
}
