import { CreateStatusMappingInput, STEP_CATEGORIES, UpdateStatusMappingInput, type MappingsSnapshot, type StatusMapping } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { Field, inputId } from '../../components/Field';

import { asNumber, asTextOrNull, FormDialog, useMappingForm } from './form-kit';

const FIELDS = ['statusFrom', 'workflowId', 'statusCategory'];

export interface StatusPrefill {
  readonly statusFrom: string;
  readonly workflowId: number | null;
}

/**
 * Create or edit a status mapping, to one of this integration's own workflow steps (never a fixed
 * list). The category is the step's unless the operator overrides it.
 */
export function StatusMappingForm({ snapshot, row, prefill, onDone, onCancel }: { snapshot: MappingsSnapshot; row: StatusMapping | null; prefill?: StatusPrefill | null; onDone: (message: string) => void; onCancel: () => void }) {
  const change = useAppStore((s) => s.changeMappings);
  const steps = snapshot.workflow.filter((w) => w.active || w.id === row?.workflowId);
  const stepOf = (id: unknown) => steps.find((w) => w.id === Number(id));
  const initialStep = row?.workflowId ?? prefill?.workflowId ?? steps[0]?.id ?? Number.NaN;
  // A category equal to the step's is shown as "the step's" so it follows the step later.
  const initialCategory = row && row.statusCategory !== stepOf(row.workflowId)?.stepCategory ? row.statusCategory : null;
  const { form, notice, submit, errorOf } = useMappingForm(
    row ? UpdateStatusMappingInput : CreateStatusMappingInput,
    { integrationId: snapshot.integrationId, ...(row ? { id: row.id } : {}), statusFrom: row?.statusFrom ?? prefill?.statusFrom ?? '', workflowId: initialStep, statusCategory: initialCategory },
    FIELDS,
  );
  const chosen = stepOf(form.watch('workflowId'));
  const onSubmit = submit(async (values) => {
    const result = row ? await change('mappings.statusMappings.update', values as typeof values & { id: number }) : await change('mappings.statusMappings.create', values);
    onDone(result.message);
  });
  return (
    <FormDialog title={row ? `Edit the mapping of ${row.statusFrom}` : 'New status mapping'} testId="status-form" notice={notice} submitting={form.formState.isSubmitting} submitLabel={row ? 'Save mapping' : 'Add mapping'} onSubmit={(e) => void onSubmit(e)} onCancel={onCancel}>
      <Field label="Jira status" name="statusFrom" hint="The status name as Jira shows it; matched ignoring case." error={errorOf('statusFrom')} wide>
        <input id={inputId('statusFrom')} className="input" autoComplete="off" {...form.register('statusFrom')} />
      </Field>
      <Field label="Workflow step" name="workflowId" hint={steps.length ? "One of this integration's workflow steps (Workflow tab)." : 'No active step: add one on the Workflow tab first.'} error={errorOf('workflowId')}>
        <select id={inputId('workflowId')} className="select" {...form.register('workflowId', { setValueAs: asNumber })}>
          {steps.map((w) => (
            <option key={w.id} value={w.id}>
              {w.stepNumber ?? '–'} · {w.stepName}
              {w.active ? '' : ' (inactive)'}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Category" name="statusCategory" hint="Override only for statuses that differ from their step (e.g. Blocked as Waiting)." error={errorOf('statusCategory')}>
        <select id={inputId('statusCategory')} className="select" {...form.register('statusCategory', { setValueAs: asTextOrNull })}>
          <option value="">The step&apos;s ({chosen?.stepCategory ?? '…'})</option>
          {STEP_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </Field>
    </FormDialog>
  );
}
