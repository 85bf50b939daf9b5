import { useState } from 'react';

import { ApiError } from '../../../../shared/contract/errors';
import { JobInput, JobPatch, type Job } from '../../../../shared/contract/jobs';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { Dialog } from '../../components/Dialog';
import { Field, inputId } from '../../components/Field';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

type ScheduleKind = 'manual' | 'interval' | 'cron';

interface Draft {
  integrationId: string;
  name: string;
  runKind: 'incremental' | 'full_refresh';
  scheduleKind: ScheduleKind;
  everyMinutes: string;
  expression: string;
  timezone: string;
  maxRetries: string;
  backoffMinutes: string;
  active: boolean;
}

const draftOf = (job: Job | null, integrationId: number | null): Draft => ({
  integrationId: String(job?.integrationId ?? integrationId ?? ''),
  name: job?.name ?? '',
  runKind: job?.runKind ?? 'incremental',
  scheduleKind: job?.schedule ? job.schedule.type : job ? 'manual' : 'interval',
  everyMinutes: String(job?.schedule?.type === 'interval' ? job.schedule.everyMinutes : 60),
  expression: job?.schedule?.type === 'cron' ? job.schedule.expression : '0 6 * * 1-5',
  timezone: job?.schedule?.type === 'cron' ? job.schedule.timezone : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  maxRetries: String(job?.retryPolicy.maxRetries ?? 3),
  backoffMinutes: String(job?.retryPolicy.backoffMinutes ?? 15),
  active: job?.active ?? true,
});

const scheduleOf = (d: Draft) =>
  d.scheduleKind === 'manual' ? null : d.scheduleKind === 'interval' ? { type: 'interval' as const, everyMinutes: Number(d.everyMinutes) } : { type: 'cron' as const, expression: d.expression, timezone: d.timezone };

/** Maps zod and engine field paths to the form's fields. */
const fieldOf = (path: string): string => {
  if (path.startsWith('schedule.everyMinutes') || path === 'patch.schedule.everyMinutes') return 'everyMinutes';
  if (path.includes('schedule.expression') || path.endsWith('schedule')) return 'expression';
  if (path.includes('timezone')) return 'timezone';
  if (path.includes('maxRetries')) return 'maxRetries';
  if (path.includes('backoffMinutes')) return 'backoffMinutes';
  if (path.includes('integrationId')) return 'integrationId';
  if (path.includes('name')) return 'name';
  return 'form';
};

/**
 * Create a job, or change one: name, run kind, schedule (interval, cron with timezone, or manual),
 * retry policy, active. Checked with the contract's own schemas before sending; the engine's answer
 * (e.g. a cron expression it cannot read) lands at the field it is about.
 */
export function JobSettingsDialog({ job, onClose, onSaved }: { job: Job | null; onClose: () => void; onSaved: (text: string) => void }) {
  const integrations = useAppStore((s) => s.integrations);
  const createJob = useAppStore((s) => s.createJob);
  const updateJob = useAppStore((s) => s.updateJob);
  const setJobActive = useAppStore((s) => s.setJobActive);
  const deleteJob = useAppStore((s) => s.deleteJob);
  const canDelete = useCan('jobs.delete');
  const [draft, setDraft] = useState<Draft>(() => draftOf(job, integrations[0]?.id ?? null));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const issuesToErrors = (issues: { path: string; message: string }[]): Record<string, string> => Object.fromEntries(issues.map((i) => [fieldOf(i.path), i.message]));

  const save = async () => {
    setErrors({});
    const common = { name: draft.name, runKind: draft.runKind, schedule: scheduleOf(draft), retryPolicy: { maxRetries: Number(draft.maxRetries), backoffMinutes: Number(draft.backoffMinutes) } };
    const parsed = job ? JobPatch.safeParse(common) : JobInput.safeParse({ ...common, integrationId: Number(draft.integrationId), active: draft.active });
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))));
      return;
    }
    setBusy(true);
    try {
      if (job) {
        let saved = await updateJob(job.id, common);
        if (draft.active !== job.active) saved = await setJobActive(job.id, draft.active);
        onSaved(`Job “${saved.name}” saved${saved.nextRunAt ? `; next run ${new Date(saved.nextRunAt).toLocaleString()}` : ''}.`);
      } else {
        const created = await createJob({ ...common, integrationId: Number(draft.integrationId), active: draft.active });
        onSaved(`Job “${created.name}” created.`);
      }
    } catch (error) {
      if (error instanceof ApiError && error.issues?.length) setErrors(issuesToErrors(error.issues));
      else setErrors({ form: describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!job) return;
    setBusy(true);
    try {
      await deleteJob(job.id);
      onSaved(`Job “${job.name}” deleted; its run history is kept.`);
    } catch (error) {
      setErrors({ form: describeError(error) });
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={job ? `Settings of “${job.name}”` : 'New job'}
      testId="job-settings"
      onClose={onClose}
      actions={
        <>
          {job && canDelete ? (
            confirmDelete ? (
              <button type="button" className="button danger solid" onClick={() => void remove()} disabled={busy} data-testid="delete-job-confirm">
                Really delete
              </button>
            ) : (
              <button type="button" className="button danger" onClick={() => setConfirmDelete(true)} disabled={busy} data-testid="delete-job">
                Delete job
              </button>
            )
          ) : null}
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose} disabled={busy} data-testid="job-settings-cancel">
            Cancel
          </button>
          <button type="button" className="button primary" onClick={() => void save()} disabled={busy} data-testid="job-settings-save">
            {busy ? 'Saving…' : job ? 'Save' : 'Create job'}
          </button>
        </>
      }
    >
      <div className="form-grid">
        {!job ? (
          <Field label="Integration" name="integrationId" error={errors['integrationId']} hint="The job runs this integration’s connector.">
            <select id={inputId('integrationId')} className="select" value={draft.integrationId} onChange={(e) => set({ integrationId: e.target.value })}>
              {integrations.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field label="Name" name="name" error={errors['name']}>
          <input id={inputId('name')} className="input" value={draft.name} onChange={(e) => set({ name: e.target.value })} />
        </Field>
        <Field label="Run kind" name="runKind" hint="What a scheduled run and Run now do.">
          <select id={inputId('runKind')} className="select" value={draft.runKind} onChange={(e) => set({ runKind: e.target.value as Draft['runKind'] })}>
            <option value="incremental">Incremental (from the watermark)</option>
            <option value="full_refresh">Full refresh (everything)</option>
          </select>
        </Field>
        <Field label="Schedule" name="scheduleKind">
          <select id={inputId('scheduleKind')} className="select" value={draft.scheduleKind} onChange={(e) => set({ scheduleKind: e.target.value as ScheduleKind })}>
            <option value="interval">Every N minutes</option>
            <option value="cron">Cron expression</option>
            <option value="manual">Manual only</option>
          </select>
        </Field>
        {draft.scheduleKind === 'interval' ? (
          <Field label="Every (minutes)" name="everyMinutes" error={errors['everyMinutes']}>
            <input id={inputId('everyMinutes')} className="input" inputMode="numeric" value={draft.everyMinutes} onChange={(e) => set({ everyMinutes: e.target.value })} />
          </Field>
        ) : null}
        {draft.scheduleKind === 'cron' ? (
          <>
            <Field label="Cron expression" name="expression" error={errors['expression']} hint="5 fields (minute hour day month weekday), e.g. 0 6 * * 1-5">
              <input id={inputId('expression')} className="input mono" value={draft.expression} onChange={(e) => set({ expression: e.target.value })} />
            </Field>
            <Field label="Timezone" name="timezone" error={errors['timezone']} hint="IANA name, e.g. Europe/Paris">
              <input id={inputId('timezone')} className="input" value={draft.timezone} onChange={(e) => set({ timezone: e.target.value })} />
            </Field>
          </>
        ) : null}
        <Field label="Retries after a failure" name="maxRetries" error={errors['maxRetries']} hint="0 to 20; each resumes from the checkpoints.">
          <input id={inputId('maxRetries')} className="input" inputMode="numeric" value={draft.maxRetries} onChange={(e) => set({ maxRetries: e.target.value })} />
        </Field>
        <Field label="First retry after (minutes)" name="backoffMinutes" error={errors['backoffMinutes']} hint="Doubles with each retry.">
          <input id={inputId('backoffMinutes')} className="input" inputMode="numeric" value={draft.backoffMinutes} onChange={(e) => set({ backoffMinutes: e.target.value })} />
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} data-testid="job-active" /> Active (an inactive job is never scheduled)
        </label>
      </div>
      {errors['form'] ? (
        <Notice tone="error" testId="job-settings-error">
          <MessageText text={errors['form']} />
        </Notice>
      ) : null}
    </Dialog>
  );
}
