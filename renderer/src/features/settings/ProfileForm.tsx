import { useState } from 'react';
import { useForm, useWatch, type FieldPath } from 'react-hook-form';

import type { MethodOutput } from '../../../../shared/contract/api';
import { ApiError } from '../../../../shared/contract/errors';
import type { ProfileView } from '../../../../shared/contract/profiles';
import { useClient } from '../../app/context';
import { Field, inputId } from '../../components/Field';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import {
  checkValues,
  emptyProfileValues,
  fieldForIssue,
  secretHintText,
  secretLabel,
  serviceExample,
  serviceLabel,
  SERVICES,
  toSaveInput,
  toServicesInput,
  valuesFromProfile,
  type ProfileFormValues,
} from './profile-form-model';
import { ServiceChecks } from './ServiceChecks';

export type ProfileTarget = { mode: 'create'; kind: 'local' | 'remote' } | { mode: 'edit'; profile: ProfileView };

const roleHint = 'What this computer may do on that platform: viewer (read-only) is a good guard for production.';

/**
 * Create or edit a connection profile. URLs are shown; passwords and keys are write-only (typed,
 * sealed by the OS keychain in the engine, never sent back). "Test connection" tries the form as it
 * is, unsaved, with the stored secrets filling what is left empty.
 */
export function ProfileForm({ target, onDone, onCancel }: { target: ProfileTarget; onDone: (saved: ProfileView) => void; onCancel: () => void }) {
  const client = useClient();
  const saved = target.mode === 'edit' ? target.profile : null;
  const form = useForm<ProfileFormValues>({ defaultValues: saved ? valuesFromProfile(saved) : emptyProfileValues(target.mode === 'create' ? target.kind : 'remote') });
  const kind = useWatch({ control: form.control, name: 'kind' });
  const [notice, setNotice] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<MethodOutput<'profiles.test'> | null>(null);

  const errorOf = (name: string): string | undefined => {
    const parts = name.split('.');
    let node: unknown = form.formState.errors;
    for (const p of parts) node = (node as Record<string, unknown> | undefined)?.[p];
    return (node as { message?: string } | undefined)?.message;
  };

  /** Issues go to their fields; what fits no field goes to the notice. */
  const showIssues = (issues: { path: string; message: string }[], fallback: string): void => {
    const unplaced: string[] = [];
    for (const issue of issues) {
      const field = fieldForIssue(issue.path);
      if (field) form.setError(field as FieldPath<ProfileFormValues>, { type: 'server', message: issue.message });
      else unplaced.push(issue.message);
    }
    setNotice(unplaced.length ? unplaced.join(' ') : issues.length ? null : fallback);
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setNotice(null);
    const issues = checkValues(values, saved);
    if (issues.length) return showIssues(issues, 'Check the fields marked.');
    try {
      onDone(await client.call('profiles.save', toSaveInput(values, saved)));
    } catch (error) {
      if (error instanceof ApiError && error.issues?.length) showIssues(error.issues, error.message);
      else setNotice(describeError(error));
    }
  });

  const testConnection = async (): Promise<void> => {
    setTesting(true);
    setNotice(null);
    try {
      const values = form.getValues();
      setResult(await client.call('profiles.test', values.kind === 'local' ? { id: saved?.id ?? null, draft: saved ? null : {} } : { id: saved?.id ?? null, draft: toServicesInput(values, saved) }));
    } catch (error) {
      setNotice(describeError(error));
    } finally {
      setTesting(false);
    }
  };

  return (
    <form className="panel profile-form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="profile-form" data-mode={target.mode} data-kind={kind}>
      <div className="panel-title">{saved ? `Edit ${saved.name}` : kind === 'local' ? 'New local-stack profile' : 'New platform profile'}</div>
      {notice ? (
        <Notice tone="error" testId="profile-form-error">
          <MessageText text={notice} />
        </Notice>
      ) : null}
      <div className="form-grid">
        <Field label="Name" name="name" hint="Local, Staging, Production…" error={errorOf('name')}>
          <input id={inputId('name')} className="input" autoComplete="off" {...form.register('name')} />
        </Field>
        <Field label="Role on this platform" name="role" hint={roleHint} error={errorOf('role')}>
          <select id={inputId('role')} className="select" {...form.register('role')}>
            <option value="admin">Admin: configure and run</option>
            <option value="operator">Operator: run, pause, reprocess, inspect raw</option>
            <option value="viewer">Viewer: read-only</option>
          </select>
        </Field>
      </div>
      {kind === 'local' ? (
        <p className="muted" data-testid="local-note">
          The embedded local stack (Postgres, RabbitMQ, Redis) starts on this computer when you switch to this profile; it needs no URLs or passwords.
        </p>
      ) : (
        <div className="form-grid">
          {SERVICES.map((key) => (
            <div key={key} className="form-section wide" data-testid={`service-${key}`}>
              <div className="form-section-title">
                {serviceLabel(key)}
                {key === 'postgres' ? '' : <span className="muted small"> · optional</span>}
              </div>
              <Field label="URL" name={`services.${key}.url`} hint={`e.g. ${serviceExample(key)}`} error={errorOf(`services.${key}.url`)}>
                <input id={inputId(`services.${key}.url`)} className="input mono" autoComplete="off" placeholder={serviceExample(key)} {...form.register(`services.${key}.url`)} />
              </Field>
              <Field label={secretLabel(key) === 'API key' ? 'API key' : 'Password'} name={`services.${key}.secret`} hint={secretHintText(key, saved)} error={errorOf(`services.${key}.secret`)}>
                <input
                  id={inputId(`services.${key}.secret`)}
                  className="input"
                  type="password"
                  autoComplete="new-password"
                  placeholder={saved?.services[key].hasSecret ? `stored ${saved.services[key].secretHint ?? ''}: leave empty to keep` : ''}
                  {...form.register(`services.${key}.secret`)}
                />
              </Field>
              {saved?.services[key].hasSecret ? (
                <label className="checkbox">
                  <input type="checkbox" {...form.register(`services.${key}.clearSecret`)} /> Remove the stored {secretLabel(key)}
                </label>
              ) : null}
            </div>
          ))}
          <Field
            label="Platform key (SLUICE_SECRET_KEY)"
            name="secretKey"
            wide
            hint={saved?.secretKey.configured ? `A key is stored (id ${saved.secretKey.keyId ?? '?'}): paste a new one to replace it, or leave empty to keep it.` : "The servers' SLUICE_SECRET_KEY, so this desktop can open the integration tokens they sealed. Write-only."}
            error={errorOf('secretKey')}
          >
            <input id={inputId('secretKey')} className="input mono" type="password" autoComplete="new-password" {...form.register('secretKey')} />
          </Field>
        </div>
      )}
      {result ? <ServiceChecks result={result} /> : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={form.formState.isSubmitting} data-testid="save-profile">
          {form.formState.isSubmitting ? 'Saving…' : saved ? 'Save changes' : 'Create profile'}
        </button>
        <button type="button" className="button" onClick={() => void testConnection()} disabled={testing || (kind === 'local' && !saved)} data-testid="test-profile">
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="button ghost" onClick={onCancel} data-testid="cancel-profile">
          Cancel
        </button>
      </div>
    </form>
  );
}
