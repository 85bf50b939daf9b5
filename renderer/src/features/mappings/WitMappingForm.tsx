import { CreateWitMappingInput, UpdateWitMappingInput, type MappingsSnapshot, type WitMapping } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { Field, inputId } from '../../components/Field';

import { asNumber, FormDialog, useMappingForm } from './form-kit';

const FIELDS = ['witFrom', 'witTo', 'hierarchyId'];

export interface WitPrefill {
  readonly witFrom: string;
  readonly witTo: string;
  readonly hierarchyId: number | null;
}

/**
 * Create or edit a type mapping. Levels offered are the active ones (runs ignore mappings of inactive
 * levels), plus the row's own level when editing; unified type names already used are suggested, so
 * "Story" is not typed three ways.
 */
export function WitMappingForm({ snapshot, row, prefill, onDone, onCancel }: { snapshot: MappingsSnapshot; row: WitMapping | null; prefill?: WitPrefill | null; onDone: (message: string) => void; onCancel: () => void }) {
  const change = useAppStore((s) => s.changeMappings);
  const levels = snapshot.hierarchies.filter((h) => h.active || h.id === row?.hierarchyId);
  const standard = levels.find((h) => h.levelNumber === 0) ?? levels[0];
  const { form, notice, submit, errorOf } = useMappingForm(
    row ? UpdateWitMappingInput : CreateWitMappingInput,
    {
      integrationId: snapshot.integrationId,
      ...(row ? { id: row.id } : {}),
      witFrom: row?.witFrom ?? prefill?.witFrom ?? '',
      witTo: row?.witTo ?? prefill?.witTo ?? '',
      hierarchyId: row?.hierarchyId ?? prefill?.hierarchyId ?? standard?.id ?? Number.NaN,
    },
    FIELDS,
  );
  const onSubmit = submit(async (values) => {
    const result = row ? await change('mappings.witMappings.update', values as typeof values & { id: number }) : await change('mappings.witMappings.create', values);
    onDone(result.message);
  });
  const unified = [...new Set(snapshot.witMappings.map((m) => m.witTo))].sort((a, b) => a.localeCompare(b));
  return (
    <FormDialog title={row ? `Edit the mapping of ${row.witFrom}` : 'New type mapping'} testId="wit-form" notice={notice} submitting={form.formState.isSubmitting} submitLabel={row ? 'Save mapping' : 'Add mapping'} onSubmit={(e) => void onSubmit(e)} onCancel={onCancel}>
      <Field label="Jira type" name="witFrom" hint="The issue type name as Jira shows it; matched ignoring case." error={errorOf('witFrom')}>
        <input id={inputId('witFrom')} className="input" autoComplete="off" {...form.register('witFrom')} />
      </Field>
      <Field label="Unified type" name="witTo" hint="What analytics calls it (several Jira types may share one)." error={errorOf('witTo')}>
        <input id={inputId('witTo')} className="input" autoComplete="off" list="unified-types" {...form.register('witTo')} />
        <datalist id="unified-types">
          {unified.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </Field>
      <Field label="Hierarchy level" name="hierarchyId" hint={levels.length ? 'Where the type sits: epics above stories above sub-tasks.' : 'No active level: add one on the Hierarchies tab first.'} error={errorOf('hierarchyId')} wide>
        <select id={inputId('hierarchyId')} className="select" {...form.register('hierarchyId', { setValueAs: asNumber })}>
          {levels.map((h) => (
            <option key={h.id} value={h.id}>
              {h.levelNumber} · {h.levelName}
              {h.active ? '' : ' (inactive)'}
            </option>
          ))}
        </select>
      </Field>
    </FormDialog>
  );
}
