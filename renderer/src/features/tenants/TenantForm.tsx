import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';

import type { Tenant } from '../../../../shared/contract/tenants';
import { TenantTier } from '../../../../shared/contract/tenants';
import { Field, inputId } from '../../components/Field';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { nameIssue, TenantFormSchema, tierLabels, type TenantFormValues } from './tenant-form';

/**
 * Name and tier of a new or existing tenant. `testId` tells the create form from a row's edit form.
 * A refused name (a duplicate) is shown at the name field; anything else as a notice.
 */
export function TenantForm({ tenant, onSubmit, onCancel, testId }: { tenant?: Tenant; onSubmit: (values: TenantFormValues) => Promise<void>; onCancel?: () => void; testId: string }) {
  const form = useForm<TenantFormValues>({ resolver: zodResolver(TenantFormSchema), defaultValues: { name: tenant?.name ?? '', tier: tenant?.tier ?? 'premium' } });
  const [notice, setNotice] = useState<string | null>(null);
  const submit = form.handleSubmit(async (values) => {
    setNotice(null);
    try {
      await onSubmit(values);
      if (!tenant) form.reset({ name: '', tier: 'premium' });
    } catch (error) {
      const issue = nameIssue(error);
      if (issue) form.setError('name', { type: 'server', message: issue });
      setNotice(describeError(error));
    }
  });
  const name = `${testId}.name`;
  return (
    <form className="tenant-form" onSubmit={(e) => void submit(e)} noValidate data-testid={testId}>
      {notice ? (
        <Notice tone="error" testId={`${testId}-error`}>
          <MessageText text={notice} />
        </Notice>
      ) : null}
      <div className="inline-row tenant-form-row">
        <Field label="Name" name={name} error={form.formState.errors.name?.message}>
          <input id={inputId(name)} className="input" autoComplete="off" placeholder="Acme Corp" {...form.register('name', { onChange: () => setNotice(null) })} />
        </Field>
        <Field label="Tier" name={`${testId}.tier`}>
          <select id={inputId(`${testId}.tier`)} className="select" {...form.register('tier')}>
            {TenantTier.options.map((t) => (
              <option key={t} value={t}>
                {tierLabels[t]}
              </option>
            ))}
          </select>
        </Field>
        <div className="tenant-form-actions">
          <button type="submit" className="button primary" disabled={form.formState.isSubmitting} data-testid={`${testId}-submit`}>
            {tenant ? 'Save' : 'Create tenant'}
          </button>
          {onCancel ? (
            <button type="button" className="button ghost" onClick={onCancel} data-testid={`${testId}-cancel`}>
              Cancel
            </button>
          ) : null}
        </div>
      </div>
    </form>
  );
}
