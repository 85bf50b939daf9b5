import { FieldsBody } from '../payloads';
import { parsePayload } from './parse';
import type { CustomFieldRow } from './rows';

/**
 * The `fields` stream: every field of the site (system fields too, so an operator can map e.g.
 * `components` or `fixVersions` to a slot), with its schema, which the mapping screen and the
 * special-field recognition read.
 */
export const transformFields = (payload: unknown): { custom_fields: CustomFieldRow[] } => {
  const list = parsePayload(FieldsBody, payload, 'field list');
  const byId = new Map<string, CustomFieldRow>();
  for (const f of list) {
    byId.set(f.id, { external_id: f.id, name: f.name, field_type: f.schema?.type ?? null, custom: f.custom ?? f.id.startsWith('customfield_'), schema: f.schema ?? null });
  }
  return { custom_fields: [...byId.values()] };
};
