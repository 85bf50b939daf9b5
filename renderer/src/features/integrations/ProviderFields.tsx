import { useState } from 'react';
import { Controller, get, type UseFormReturn } from 'react-hook-form';

import type { RemoteProject } from '../../../../shared/contract/integrations';
import { Field, inputId } from '../../components/Field';

import { numberOrUndefined, parseLines, textOrNull, type IntegrationFormValues } from './form-model';
import { ProjectKeysPicker } from './ProjectKeysPicker';

type Form = UseFormReturn<IntegrationFormValues, unknown, unknown>;

const errorOf = (form: Form, name: string): string | undefined => (get(form.formState.errors, name) as { message?: string } | undefined)?.message;

function NumberField({ form, name, label, hint, placeholder }: { form: Form; name: string; label: string; hint: string; placeholder?: string }) {
  const path = `settings.${name}` as const;
  return (
    <Field label={label} name={path} hint={hint} error={errorOf(form, path)}>
      <input id={inputId(path)} className="input" type="number" step="any" placeholder={placeholder} {...form.register(path, { setValueAs: numberOrUndefined })} />
    </Field>
  );
}

/** Rate limit and burst: both providers, optional (the API's default budget when unset). */
function RateLimitFields({ form }: { form: Form }) {
  return (
    <>
      <NumberField form={form} name="rateLimitPerSecond" label="Rate limit (requests/s)" hint="For every worker of this integration together; empty: the provider default." placeholder="default" />
      <NumberField form={form} name="rateLimitBurst" label="Burst" hint="Requests that may go at once after a quiet spell; empty: default." placeholder="default" />
    </>
  );
}

/** Lines of text that are a list (repository patterns): local text, parsed on every change. */
function LinesInput({ id, value, onChange, onBlur }: { id: string; value: string[]; onChange: (v: string[]) => void; onBlur: () => void }) {
  const [text, setText] = useState(value.join('\n'));
  return (
    <textarea
      id={id}
      className="textarea"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseLines(e.target.value));
      }}
      onBlur={onBlur}
      placeholder={'health-\nbp-'}
    />
  );
}

export function JiraFields({ form, loadProjects }: { form: Form; loadProjects: () => Promise<{ projects: RemoteProject[]; truncated: boolean }> }) {
  return (
    <>
      <Field label="Account email" name="settings.email" hint="The Atlassian account the API token belongs to (Basic auth). Empty: the token is sent as a Bearer (OAuth)." error={errorOf(form, 'settings.email')}>
        <input id={inputId('settings.email')} className="input" type="email" autoComplete="off" placeholder="you@example.com" {...form.register('settings.email', { setValueAs: textOrNull })} />
      </Field>
      <Field label="Base JQL" name="settings.baseJql" hint="ANDed to every issue search, e.g. issuetype != Epic; no ORDER BY." error={errorOf(form, 'settings.baseJql')}>
        <input id={inputId('settings.baseJql')} className="input mono" placeholder="optional" {...form.register('settings.baseJql', { setValueAs: textOrNull })} />
      </Field>
      <Field label="Project keys" name="settings.projectKeys" wide error={errorOf(form, 'settings.projectKeys')}>
        <Controller
          control={form.control}
          name="settings.projectKeys"
          render={({ field }) => <ProjectKeysPicker id={inputId('settings.projectKeys')} value={(field.value as string[] | undefined) ?? []} onChange={field.onChange} load={loadProjects} />}
        />
      </Field>
      <div className="form-section-title">Paging and limits</div>
      <NumberField form={form} name="pageSize" label="Page size" hint="Issues per search page (1-100)." />
      <NumberField form={form} name="overlapMinutes" label="Overlap (minutes)" hint="Incremental runs re-read this far before the watermark." />
      <RateLimitFields form={form} />
    </>
  );
}

export function GithubFields({ form }: { form: Form }) {
  return (
    <>
      <Field label="Organization" name="settings.organization" hint="The organization (or user) whose repositories are extracted." error={errorOf(form, 'settings.organization')}>
        <input id={inputId('settings.organization')} className="input" autoComplete="off" placeholder="acme" {...form.register('settings.organization')} />
      </Field>
      <Field label="Repository name patterns" name="settings.repositoryPatterns" hint="One per line, matched in repository names; empty: every repository." error={errorOf(form, 'settings.repositoryPatterns')}>
        <Controller
          control={form.control}
          name="settings.repositoryPatterns"
          render={({ field }) => <LinesInput id={inputId('settings.repositoryPatterns')} value={(field.value as string[] | undefined) ?? []} onChange={field.onChange} onBlur={field.onBlur} />}
        />
      </Field>
      <div className="form-section-title">Paging and limits</div>
      <NumberField form={form} name="pageSize" label="Page size" hint="Pull requests per GraphQL page (1-100)." />
      <NumberField form={form} name="lookbackDays" label="Lookback (days)" hint="A full run reads pull requests updated this many days back." />
      <RateLimitFields form={form} />
    </>
  );
}

export { errorOf };
