import type { UseFormRegisterReturn } from 'react-hook-form';

import type { CustomField } from '../../../../shared/contract/mappings';
import { Field, inputId } from '../../components/Field';

import { fieldLabel } from './field-model';

export const FIELD_LIST_ID = 'jira-field-options';

/**
 * The list every picker searches: the browser's own searchable list (`<datalist>`), matching what is
 * typed against the field's name and its id, with the type as a hint. Rendered once per form.
 */
export function FieldOptions({ fields }: { fields: readonly CustomField[] }) {
  return (
    <datalist id={FIELD_LIST_ID} data-testid="field-options">
      {fields.map((f) => (
        <option key={f.externalId} value={f.externalId} label={`${f.name}${f.fieldType ? ` · ${f.fieldType}` : ''}`} />
      ))}
    </datalist>
  );
}

/**
 * One special field or slot: a searchable text box (type a name or an id, or pick from the list), what
 * the value resolves to, and for special fields the suggestion from the field types.
 */
export function FieldPicker({
  name,
  label,
  register,
  value,
  fields,
  error,
  suggestion,
  onUse,
}: {
  name: string;
  label: string;
  register: UseFormRegisterReturn;
  /** The resolved value (a field id or null). */
  value: string | null;
  fields: readonly CustomField[];
  error: string | undefined;
  suggestion?: string | null;
  onUse?: (id: string) => void;
}) {
  const known = value === null || fields.some((f) => f.externalId === value);
  const hint = (
    <>
      {value === null ? (
        <span className="muted">{suggestion ? `Empty: runs recognise ${fieldLabel(suggestion, fields)} by its type.` : 'Not mapped.'}</span>
      ) : known ? (
        <span data-testid={`resolved-${name.replace('.', '-')}`}>→ {fieldLabel(value, fields)}</span>
      ) : (
        <span className="warn">{value} is not among the discovered fields (mapped before discovery?); it is saved as typed.</span>
      )}
      {suggestion && suggestion !== value && onUse ? (
        <>
          {' '}
          <button type="button" className="link-button" onClick={() => onUse(suggestion)} data-testid={`use-suggestion-${name}`}>
            Use {fieldLabel(suggestion, fields)}
          </button>
        </>
      ) : null}
    </>
  );
  return (
    <Field label={label} name={name} hint={hint} error={error}>
      <input id={inputId(name)} className="input mono" list={FIELD_LIST_ID} placeholder="Search by name or id" autoComplete="off" spellCheck={false} {...register} />
    </Field>
  );
}
