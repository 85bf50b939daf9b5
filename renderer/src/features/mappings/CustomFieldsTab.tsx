import { useEffect, useState } from 'react';

import { SLOT_COUNT, SPECIAL_FIELDS, specialLabels, type CustomField, type CustomFieldsState, type FieldDiscovery } from '../../../../shared/contract/mappings';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { DataTable, type ColumnDef } from './DataTable';
import { FIELD_FORM_FIELDS, fieldFormSchema, fieldFormValues, placesOf, resolveField } from './field-model';
import { FieldOptions, FieldPicker } from './FieldPicker';
import { useMappingForm } from './form-kit';
import { fieldSpec, visibleRows } from './table-model';
import { TableToolbar } from './TableToolbar';

const specialHints = {
  team: 'work_items.team',
  sprints: 'sprints and sprint membership',
  development: 'work_items.development; decides the dev-status (PR links) fetch',
  storyPoints: 'work_items.story_points',
} as const;

const formatWhen = (iso: string | null): string => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : 'never');

/**
 * Custom fields: discover the site's field list from Jira (a one-shot worker task; the answer is kept
 * as a raw unit), then choose the fields behind team, sprints, development, story points and the 20
 * slots with searchable pickers. The discovered list is a filterable, sortable table of its own.
 */
export function CustomFieldsTab({ onSaved }: { onSaved: (message: string) => void }) {
  const state = useAppStore((s) => s.customFields);
  const load = useAppStore((s) => s.loadCustomFields);
  const integrationId = useAppStore((s) => s.mappingsIntegrationId);
  useEffect(() => {
    void load();
  }, [load, integrationId]);
  if (!state.data) {
    return state.status === 'error' ? (
      <Notice tone="error" testId="fields-load-error">
        <MessageText text={state.error ?? ''} />
      </Notice>
    ) : (
      <p className="muted">Loading the custom fields…</p>
    );
  }
  // A new field list or a saved mapping starts the form afresh (its pickers and checks read both).
  const { integrationId: id, mapping, discoveredAt, fields } = state.data;
  return (
    <div className="fields-tab">
      <DiscoveryPanel state={state.data} />
      <CustomFieldsForm key={`${id}:${discoveredAt ?? ''}:${fields.length}:${JSON.stringify(mapping)}`} state={state.data} onSaved={onSaved} />
      <DiscoveredFields state={state.data} />
    </div>
  );
}

/** The discovery button and what the last discovery found; outside the form, so a discovery's answer survives the form's restart. */
function DiscoveryPanel({ state }: { state: CustomFieldsState }) {
  const discover = useAppStore((s) => s.discoverFields);
  const canDiscover = useCan('mappings.customFields.discover');
  const [discovering, setDiscovering] = useState(false);
  const [discovery, setDiscovery] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const runDiscovery = async () => {
    setDiscovering(true);
    setDiscovery(null);
    try {
      const d: FieldDiscovery = await discover();
      setDiscovery({ tone: 'info', text: `Read ${d.fields} fields from Jira in ${(d.durationMs / 1000).toFixed(1)} s: ${d.added} new, ${d.changed} changed (kept as raw unit ${d.rawId} of discovery run ${d.runId}).` });
    } catch (error) {
      setDiscovery({ tone: 'error', text: describeError(error) });
    } finally {
      setDiscovering(false);
    }
  };
  return (
    <div className="panel discovery-panel" data-testid="discovery-panel">
      <div className="inline-row">
        {canDiscover ? (
          <button type="button" className="button primary" onClick={() => void runDiscovery()} disabled={discovering} data-testid="discover-fields">
            {discovering ? 'Reading the field list…' : 'Discover fields from Jira'}
          </button>
        ) : null}
        <span className="muted" data-testid="discovered-summary">
          {state.fields.length ? `${state.fields.length} fields discovered, last read ${formatWhen(state.discoveredAt)}.` : 'No field discovered yet: read the list from Jira (a run’s fields step does it too).'}
        </span>
      </div>
      {discovery ? (
        <div style={{ marginTop: 8 }}>
          <Notice tone={discovery.tone} testId={discovery.tone === 'error' ? 'discovery-error' : 'discovery-result'}>
            <MessageText text={discovery.text} />
          </Notice>
        </div>
      ) : null}
    </div>
  );
}

/** The discovered field list as a table of its own (filter, kind, sort), with where each field is mapped. */
function DiscoveredFields({ state }: { state: CustomFieldsState }) {
  const view = useAppStore((s) => s.mappingViews.fields);
  const places = placesOf(state.mapping);
  const rows = visibleRows(state.fields, view, fieldSpec);
  const columns: ColumnDef<CustomField>[] = [
    { label: 'Name', sort: 'name', className: 'strong', render: (f) => f.name },
    { label: 'Field id', sort: 'externalId', className: 'mono', render: (f) => f.externalId },
    { label: 'Type', sort: 'fieldType', render: (f) => (f.fieldType ? `${f.fieldType}${f.items ? ` of ${f.items}` : ''}` : <span className="muted">—</span>) },
    { label: 'Plugin', className: 'mono small truncate', render: (f) => f.schemaCustom?.split(':').pop() ?? <span className="muted">system</span> },
    { label: 'Mapped to', render: (f) => places.get(f.externalId)?.join(', ') ?? <span className="muted">—</span> },
  ];
  return (
    <>
      <div className="panel-title" style={{ marginTop: 16 }}>
        Discovered fields
      </div>
      <TableToolbar table="fields" placeholder="Filter by name, id or type" filterLabel="Kind" filterOptions={[{ value: 'custom', label: 'Custom fields' }, { value: 'system', label: 'System fields' }]} withState={false} />
      <DataTable
        table="fields"
        columns={columns}
        rows={rows}
        total={state.fields.length}
        rowKey={(f) => f.externalId}
        rowTestId={(f) => `field-row-${f.externalId}`}
        empty="No field discovered yet: use “Discover fields from Jira” above."
      />
    </>
  );
}

function CustomFieldsForm({ state, onSaved }: { state: CustomFieldsState; onSaved: (message: string) => void }) {
  const save = useAppStore((s) => s.saveFieldMapping);
  // A role that may not save still sees the mapping: the pickers are disabled and the buttons go.
  const canSave = useCan('mappings.customFields.save');
  const fields = state.fields;
  const { form, notice, submit, errorOf } = useMappingForm(fieldFormSchema(fields), fieldFormValues(state), FIELD_FORM_FIELDS);
  const values = form.watch();
  const resolve = (v: unknown) => resolveField(v, fields);
  const onSubmit = submit(async (v) => {
    await save(v);
    onSaved('Saved the custom-field mapping. It applies from the next run; re-transform to apply it to the data already loaded.');
  });
  const slotError = (i: number): string | undefined => {
    const e = (form.formState.errors.slots as ({ message?: string } | undefined)[] | undefined)?.[i];
    return e?.message;
  };

  return (
    <form className="panel" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="field-mapping-form">
      <FieldOptions fields={fields} />
      {notice ? (
        <Notice tone="error" testId="form-error">
          <MessageText text={notice} />
        </Notice>
      ) : null}
      {state.unknownIds.length ? (
        <Notice tone="info" testId="unknown-fields">
          Mapped but not discovered: {state.unknownIds.join(', ')}. Discover the fields to check them.
        </Notice>
      ) : null}
      <fieldset className="form-grid plain-fieldset" disabled={!canSave}>
        <div className="form-section-title">Special fields</div>
        {SPECIAL_FIELDS.map((f) => (
          <FieldPicker
            key={f}
            name={f}
            label={`${specialLabels[f]} → ${specialHints[f]}`}
            register={form.register(f, { setValueAs: resolve })}
            value={resolve(values[f])}
            fields={fields}
            error={errorOf(f)}
            suggestion={state.suggestions[f][0] ?? null}
            onUse={(id) => form.setValue(f, id, { shouldDirty: true })}
          />
        ))}
        <div className="form-section-title">Slots (work_items.custom_field_01 … {SLOT_COUNT})</div>
        {Array.from({ length: SLOT_COUNT }, (_, i) => (
          <FieldPicker key={i} name={`slots.${i}`} label={`Slot ${i + 1}`} register={form.register(`slots.${i}`, { setValueAs: resolve })} value={resolve(values.slots?.[i])} fields={fields} error={slotError(i)} />
        ))}
      </fieldset>
      {canSave ? (
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={form.formState.isSubmitting} data-testid="save-fields">
            {form.formState.isSubmitting ? 'Saving…' : 'Save field mapping'}
          </button>
          <button type="button" className="button ghost" onClick={() => form.reset(fieldFormValues(state))} data-testid="reset-fields">
            Undo changes
          </button>
        </div>
      ) : null}
    </form>
  );
}
