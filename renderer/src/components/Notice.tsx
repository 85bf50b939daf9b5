import type { ReactNode } from 'react';

/** An inline message; `error` also gets a text prefix so it does not rely on colour. */
export function Notice({ tone, children, testId }: { tone: 'info' | 'error'; children: ReactNode; testId?: string }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {tone === 'error' ? <strong>Problem: </strong> : null}
      {children}
    </div>
  );
}
