import { CreateStepInput, STEP_CATEGORIES, UpdateStepInput, type WorkflowStep } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { Field, inputId } from '../../components/Field';

import { asNumberOrNull, FormDialog, useMappingForm } from './form-kit';

const FIELDS = ['stepName', 'stepNumber', 'stepCategory', 'isCommitmentPoint'];

export const categoryHints: Record<(typeof STEP_CATEGORIES)[number], string> = {
  'To Do': 'not started',
  'In Progress': 'being worked on (counts as work time)',
  Waiting: 'queued between active steps (counts as wait time)',
  Done: 'finished (a completion)',
  Discarded: 'dropped without being done',
};

/**
 * Create or edit a workflow step. A new step may become the commitment point (the engine moves it from
 * the old step in the same transaction); an existing one becomes it with the table's action instead.
 */
export function StepForm({ integrationId, row, firstStep, onDone, onCancel }: { integrationId: number; row: WorkflowStep | null; firstStep: boolean; onDone: (message: string) => void; onCancel: () => void }) {
  const change = useAppStore((s) => s.changeMappings);
  const { form, notice, submit, errorOf } = useMappingForm(
    row ? UpdateStepInput : CreateStepInput,
    row
      ? { integrationId, id: row.id, stepName: row.stepName, stepNumber: row.stepNumber, stepCategory: row.stepCategory }
      : { integrationId, stepName: '', stepNumber: null, stepCategory: 'In Progress' as const, isCommitmentPoint: firstStep },
    FIELDS,
  );
  const onSubmit = submit(async (values) => {
    const result = row ? await change('mappings.workflow.update', values as typeof values & { id: number }) : await change('mappings.workflow.create', values);
    onDone(result.message);
  });
  return (
    <FormDialog title={row ? `Edit step ${row.stepName}` : 'New workflow step'} testId="step-form" notice={notice} submitting={form.formState.isSubmitting} submitLabel={row ? 'Save step' : 'Add step'} onSubmit={(e) => void onSubmit(e)} onCancel={onCancel}>
      <Field label="Step name" name="stepName" hint="Unique in this workflow, e.g. Code Review." error={errorOf('stepName')}>
        <input id={inputId('stepName')} className="input" autoComplete="off" {...form.register('stepName')} />
      </Field>
      <Field label="Step number" name="stepNumber" hint="Its place in the flow (0-1000); empty for steps outside it, such as Discarded." error={errorOf('stepNumber')}>
        <input id={inputId('stepNumber')} className="input" type="number" step={1} {...form.register('stepNumber', { setValueAs: asNumberOrNull })} />
      </Field>
      <Field label="Category" name="stepCategory" hint="Decides starts, waits, completions and discards in the flow metrics." error={errorOf('stepCategory')} wide>
        <select id={inputId('stepCategory')} className="select" {...form.register('stepCategory')}>
          {STEP_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}: {categoryHints[c]}
            </option>
          ))}
        </select>
      </Field>
      {row ? null : (
        <Field label="Commitment point" name="isCommitmentPoint" hint={firstStep ? 'The first step of a workflow is its commitment point.' : 'Work counts as committed from this step on; ticking it moves the point here.'} error={errorOf('isCommitmentPoint')} wide>
          <label className="inline-row">
            <input id={inputId('isCommitmentPoint')} type="checkbox" {...form.register('isCommitmentPoint')} /> Make this step the commitment point
          </label>
        </Field>
      )}
    </FormDialog>
  );
}
