import type { ReactNode } from 'react';

/**
 * A labelled form field: the control, a hint saying what to enter, and the error in words (not
 * only colour). `name` gives the test hooks `field-<name>` and `error-<name>`.
 */
export function Field({ label, name, hint, error, children, wide }: { label: string; name: string; hint?: ReactNode; error?: string | undefined; children: ReactNode; wide?: boolean }) {
  const id = `field-${name.replace(/\./g, '-')}`;
  return (
    <div className={`field${error ? ' has-error' : ''}${wide ? ' wide' : ''}`} data-testid={id}>
      <label className="field-label" htmlFor={`${id}-input`}>
        {label}
      </label>
      {children}
      {error ? (
        <div className="field-error" role="alert" data-testid={`error-${name.replace(/\./g, '-')}`}>
          {error}
        </div>
      ) : hint ? (
        <div className="field-hint">{hint}</div>
      ) : null}
    </div>
  );
}

/** The id a control inside `<Field name=…>` must carry so its label points at it. */
export const inputId = (name: string): string => `field-${name.replace(/\./g, '-')}-input`;
