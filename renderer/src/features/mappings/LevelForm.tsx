import { CreateHierarchyInput, UpdateHierarchyInput, type Hierarchy } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { Field, inputId } from '../../components/Field';

import { asNumber, FormDialog, useMappingForm } from './form-kit';

const FIELDS = ['levelNumber', 'levelName', 'description'];

/** Create or edit a hierarchy level; the contract's schema validates, the engine checks number and name. */
export function LevelForm({ integrationId, row, onDone, onCancel }: { integrationId: number; row: Hierarchy | null; onDone: (message: string) => void; onCancel: () => void }) {
  const change = useAppStore((s) => s.changeMappings);
  const { form, notice, submit, errorOf } = useMappingForm(
    row ? UpdateHierarchyInput : CreateHierarchyInput,
    { integrationId, ...(row ? { id: row.id } : {}), levelNumber: row?.levelNumber ?? Number.NaN, levelName: row?.levelName ?? '', description: row?.description ?? '' },
    FIELDS,
  );
  const onSubmit = submit(async (values) => {
    const result = row ? await change('mappings.hierarchies.update', values as typeof values & { id: number }) : await change('mappings.hierarchies.create', values);
    onDone(result.message);
  });
  return (
    <FormDialog title={row ? `Edit level ${row.levelName}` : 'New hierarchy level'} testId="level-form" notice={notice} submitting={form.formState.isSubmitting} submitLabel={row ? 'Save level' : 'Add level'} onSubmit={(e) => void onSubmit(e)} onCancel={onCancel}>
      <Field label="Level number" name="levelNumber" hint="Jira's convention: 1 epic, 0 standard, -1 sub-task; higher levels above epics (-10 to 20)." error={errorOf('levelNumber')}>
        <input id={inputId('levelNumber')} className="input" type="number" step={1} {...form.register('levelNumber', { setValueAs: asNumber })} />
      </Field>
      <Field label="Level name" name="levelName" hint="Unique in this integration, e.g. Initiative." error={errorOf('levelName')}>
        <input id={inputId('levelName')} className="input" autoComplete="off" {...form.register('levelName')} />
      </Field>
      <Field label="Description" name="description" hint="Optional: what belongs at this level." error={errorOf('description')} wide>
        <input id={inputId('description')} className="input" autoComplete="off" {...form.register('description')} />
      </Field>
    </FormDialog>
  );
}
