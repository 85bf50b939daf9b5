import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useForm, type Resolver } from 'react-hook-form';

import type { MethodOutput } from '../../../../shared/contract/api';
import { ApiError } from '../../../../shared/contract/errors';
import type { Integration, Provider } from '../../../../shared/contract/integrations';
import { useAppStore, useClient } from '../../app/context';
import { Field, inputId } from '../../components/Field';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { ConnectionChecks } from './ConnectionChecks';
import {
  emptyValues,
  fieldForIssue,
  formFields,
  formSchema,
  toCreateInput,
  toTarget,
  toUpdateInput,
  valuesFrom,
  type IntegrationFormValues,
  type ParsedFormValues,
} from './form-model';
import { providerLabels } from './list-view';
import { errorOf, GithubFields, JiraFields } from './ProviderFields';

export type FormTarget = { mode: 'create'; provider: Provider } | { mode: 'edit'; integration: Integration };

const baseUrlHint: Record<Provider, string> = {
  jira: 'Your Jira Cloud site, e.g. https://your-site.atlassian.net.',
  github: 'https://api.github.com, or your Enterprise Server API (https://host/api/v3).',
};

/**
 * Create or edit one integration. The provider's settings schema drives validation (react-hook-form
 * with the contract's zod schemas); the engine validates again and its field issues are shown at the
 * same fields. The token is write-only: typed here, sent once, never shown again.
 */
export function IntegrationForm({ target, onDone, onCancel }: { target: FormTarget; onDone: (saved: Integration) => void; onCancel: () => void }) {
  const client = useClient();
  const createIntegration = useAppStore((s) => s.createIntegration);
  const updateIntegration = useAppStore((s) => s.updateIntegration);
  const provider = target.mode === 'create' ? target.provider : target.integration.provider;
  const saved = target.mode === 'edit' ? target.integration : null;
  const fields = useMemo(() => formFields(provider), [provider]);

  const form = useForm<IntegrationFormValues, unknown, ParsedFormValues>({
    resolver: zodResolver(formSchema(provider, target.mode)) as unknown as Resolver<IntegrationFormValues, unknown, ParsedFormValues>,
    defaultValues: saved ? valuesFrom(saved) : emptyValues(provider),
  });
  const [notice, setNotice] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<MethodOutput<'integrations.testConnection'> | null>(null);

  /** Engine (or client-side contract) issues go to their fields; what fits no field goes to the notice. */
  const showError = (error: unknown): void => {
    if (error instanceof ApiError && error.issues?.length) {
      const unplaced: string[] = [];
      for (const issue of error.issues) {
        const field = fieldForIssue(issue.path, fields);
        if (field) form.setError(field as 'name', { type: 'server', message: issue.message });
        else unplaced.push(`${issue.path}: ${issue.message}`);
      }
      // Issues that fit no field (and non-validation errors such as a conflict) are said in words at the top.
      setNotice(unplaced.length || error.code !== 'bad_request' ? error.message : 'Fix the fields marked below, then try again.');
      return;
    }
    setNotice(describeError(error));
  };

  const draftTarget = () => {
    const v = form.getValues();
    return toTarget(provider, saved?.id ?? null, { baseUrl: v.baseUrl, token: v.token, settings: v.settings });
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setNotice(null);
    try {
      onDone(saved ? await updateIntegration(toUpdateInput(saved.id, provider, values)) : await createIntegration(toCreateInput(provider, values)));
    } catch (error) {
      showError(error);
    }
  });

  const testConnection = async () => {
    setNotice(null);
    setResult(null);
    form.clearErrors();
    setTesting(true);
    try {
      setResult(await client.call('integrations.testConnection', draftTarget()));
    } catch (error) {
      showError(error);
    } finally {
      setTesting(false);
    }
  };

  const tokenHint = saved?.hasSecret
    ? `A token is stored (${saved.secretHint ?? '…'}). Type a new one to replace it; leave empty to keep it.`
    : provider === 'jira'
      ? 'An Atlassian API token (id.atlassian.com → Security → API tokens). Stored sealed; never shown again.'
      : 'A personal access token with repository read access. Stored sealed; never shown again.';

  return (
    <form className="panel integration-form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="integration-form" data-provider={provider} data-mode={target.mode}>
      <div className="panel-title">
        {saved ? `Edit ${saved.name}` : `New ${providerLabels[provider]} integration`}
        {saved?.isDemo ? <span className="muted small"> · demo integration: sluice start keeps its URL pointed at the local simulator</span> : null}
      </div>
      {notice ? (
        <Notice tone="error" testId="form-error">
          <MessageText text={notice} />
        </Notice>
      ) : null}
      <div className="form-grid">
        <Field label="Name" name="name" hint="Tells this integration apart from the tenant's others." error={errorOf(form, 'name')}>
          <input id={inputId('name')} className="input" autoComplete="off" {...form.register('name')} />
        </Field>
        <Field label={provider === 'jira' ? 'Site URL' : 'API URL'} name="baseUrl" hint={baseUrlHint[provider]} error={errorOf(form, 'baseUrl')}>
          <input id={inputId('baseUrl')} className="input" type="url" autoComplete="off" placeholder={provider === 'jira' ? 'https://your-site.atlassian.net' : 'https://api.github.com'} {...form.register('baseUrl')} />
        </Field>
        <Field label={saved?.hasSecret ? 'API token (replace)' : 'API token'} name="token" hint={tokenHint} error={errorOf(form, 'token')} wide>
          <input
            id={inputId('token')}
            className="input"
            type="password"
            autoComplete="new-password"
            placeholder={saved?.hasSecret ? `stored ${saved.secretHint ?? ''}: leave empty to keep` : 'paste the token'}
            {...form.register('token')}
          />
        </Field>
        {provider === 'jira' ? <JiraFields form={form} loadProjects={() => client.call('integrations.remoteProjects', draftTarget())} /> : <GithubFields form={form} />}
      </div>
      {result ? <ConnectionChecks result={result} /> : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={form.formState.isSubmitting} data-testid="save-integration">
          {form.formState.isSubmitting ? 'Saving…' : saved ? 'Save changes' : 'Create integration'}
        </button>
        <button type="button" className="button" onClick={() => void testConnection()} disabled={testing} data-testid="test-connection">
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="button ghost" onClick={onCancel} data-testid="cancel-form">
          Cancel
        </button>
      </div>
    </form>
  );
}
