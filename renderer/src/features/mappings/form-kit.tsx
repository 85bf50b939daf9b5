import { zodResolver } from '@hookform/resolvers/zod';
import { useState, type ReactNode } from 'react';
import { useForm, type FieldValues, type Path, type Resolver, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';

import { ApiError } from '../../../../shared/contract/errors';
import { Dialog } from '../../components/Dialog';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

/**
 * What every mapping form shares: react-hook-form validating with the contract's own input schema
 * (so the form and the engine agree), the engine's field issues placed at the same fields, and the
 * dialog with Save and Cancel. Form values are the API input itself (integration and row id included).
 */

/** Puts each engine issue on its field; returns the sentence for the top of the form (null when all fit). */
export function placeIssues<V extends FieldValues>(error: unknown, fields: readonly string[], setError: UseFormReturn<V>['setError']): string {
  if (!(error instanceof ApiError) || !error.issues?.length) return describeError(error);
  let unplaced = false;
  for (const issue of error.issues) {
    const field = fields.find((f) => issue.path === f || issue.path.startsWith(`${f}.`));
    if (field) setError(field as Path<V>, { type: 'server', message: issue.message });
    else unplaced = true;
  }
  return unplaced || error.code !== 'bad_request' ? error.message : 'Fix the fields marked below, then try again.';
}

export function useMappingForm<S extends z.ZodType<FieldValues, FieldValues>>(schema: S, defaults: z.input<S>, fields: readonly string[]) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never) as unknown as Resolver<z.input<S>, unknown, z.output<S>>,
    defaultValues: defaults as never,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const submit = (run: (values: z.output<S>) => Promise<void>) =>
    form.handleSubmit(async (values) => {
      setNotice(null);
      try {
        await run(values);
      } catch (error) {
        setNotice(placeIssues(error, fields, form.setError));
      }
    });
  /** The field's error message, client-side or from the engine. */
  const errorOf = (name: string): string | undefined => {
    const e = (form.formState.errors as Record<string, { message?: unknown } | undefined>)[name];
    return typeof e?.message === 'string' ? e.message : undefined;
  };
  return { form, notice, submit, errorOf };
}

export function FormDialog({
  title,
  testId,
  notice,
  submitting,
  submitLabel,
  onSubmit,
  onCancel,
  children,
}: {
  title: string;
  testId: string;
  notice: string | null;
  submitting: boolean;
  submitLabel: string;
  onSubmit: (e: React.FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const formId = `${testId}-form`;
  return (
    <Dialog
      title={title}
      testId={testId}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button ghost" onClick={onCancel} data-testid="cancel-form">
            Cancel
          </button>
          <button type="submit" form={formId} className="button primary" disabled={submitting} data-testid="save-form">
            {submitting ? 'Saving…' : submitLabel}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate>
        {notice ? (
          <Notice tone="error" testId="form-error">
            <MessageText text={notice} />
          </Notice>
        ) : null}
        <div className="form-grid">{children}</div>
      </form>
    </Dialog>
  );
}

/** Number inputs: an empty box is NaN for a required number (the schema says "enter a whole number"), null for an optional one. */
export const asNumber = (v: unknown): number => (v === '' || v === null || v === undefined ? Number.NaN : Number(v));
export const asNumberOrNull = (v: unknown): number | null => (v === '' || v === null || v === undefined ? null : Number(v));
export const asTextOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
