import type { z } from 'zod';

import { SaveFieldMappingInput, SLOT_COUNT, SPECIAL_FIELDS, specialLabels, type CustomField, type CustomFieldsState, type FieldMapping } from '../../../../shared/contract/mappings';

/**
 * The custom-field form: what a picker's text means (a field id, or a field's name, resolved to its
 * id), the form values (exactly the save call's input), and the one check the contract leaves to the
 * screen: a value must be a discovered field, or at least look like a Jira custom field id (the
 * engine accepts fields mapped before discovery; a typo would be accepted too, so the form asks).
 */

export type FieldFormValues = z.input<typeof SaveFieldMappingInput>;

/** The id a picker's text stands for: '' is none; an id as is; a name (ignoring case) when exactly one field has it. */
export const resolveField = (text: unknown, fields: readonly CustomField[]): string | null => {
  const t = typeof text === 'string' ? text.trim() : '';
  if (t === '') return null;
  if (fields.some((f) => f.externalId === t)) return t;
  const byName = fields.filter((f) => f.name.toLowerCase() === t.toLowerCase());
  return byName.length === 1 ? byName[0]!.externalId : t;
};

const UNDISCOVERED_ID = /^customfield_\d+$/;

export const fieldFormSchema = (fields: readonly CustomField[]) => {
  const known = new Set(fields.map((f) => f.externalId));
  const check = (id: string | null, path: (string | number)[], ctx: z.RefinementCtx): void => {
    if (id !== null && !known.has(id) && !UNDISCOVERED_ID.test(id)) {
      ctx.addIssue({ code: 'custom', path, message: `no discovered field is called "${id}"; pick one from the list (name or id)` });
    }
  };
  return SaveFieldMappingInput.superRefine((v, ctx) => {
    for (const f of SPECIAL_FIELDS) check(v[f], [f], ctx);
    v.slots.forEach((id, i) => check(id, ['slots', i], ctx));
  });
};

export const fieldFormValues = (state: CustomFieldsState): FieldFormValues => ({ integrationId: state.integrationId, ...state.mapping, slots: [...state.mapping.slots] });

/** Every form field name, for placing the engine's issues (`slots.7`). */
export const FIELD_FORM_FIELDS: readonly string[] = [...SPECIAL_FIELDS, ...Array.from({ length: SLOT_COUNT }, (_, i) => `slots.${i}`)];

/** Where each field id is mapped, for the discovered-fields table ("Team", "slot 3"). */
export const placesOf = (mapping: FieldMapping): Map<string, string[]> => {
  const places = new Map<string, string[]>();
  const add = (id: string | null, label: string) => {
    if (id !== null) places.set(id, [...(places.get(id) ?? []), label]);
  };
  for (const f of SPECIAL_FIELDS) add(mapping[f], specialLabels[f]);
  mapping.slots.forEach((id, i) => add(id, `slot ${i + 1}`));
  return places;
};

/** "Sprint (customfield_10020)", or the id alone for a field not discovered. */
export const fieldLabel = (id: string, fields: readonly CustomField[]): string => {
  const f = fields.find((x) => x.externalId === id);
  return f ? `${f.name} (${f.externalId})` : id;
};
