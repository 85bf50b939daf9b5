import { adfToText, isAdfDocument } from './adf';

/**
 * Normalising Jira field values for the unified columns, as the prior system did (reference
 * prior-system.md 1.8 "How mapped values are loaded"), made total: every JSON value gives a defined
 * result, so a field type we have not seen still lands as readable text instead of failing the page.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const nonEmpty = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The label Jira shows for an object value: users by displayName, options by value, most others by name. */
const objectLabel = (v: Obj): string | null => nonEmpty(v.displayName) ?? nonEmpty(v.value) ?? nonEmpty(v.name) ?? nonEmpty(v.title) ?? nonEmpty(v.key);

/**
 * Text for a custom-field slot:
 * - null, undefined, '' and empty arrays → null;
 * - strings as they are, numbers and booleans as text (`5`, `12.5`, `true`);
 * - option objects → their value; a cascading option → `parent > child`; users → displayName;
 *   teams, versions, components → name; ADF documents → plain text;
 * - arrays → their elements' text joined with `, ` (empty elements dropped);
 * - any other object → its JSON (deterministic for the same input, so the same page gives the same row).
 */
export const fieldText = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    const parts = value.map(fieldText).filter((s): s is string => s !== null);
    return parts.length > 0 ? parts.join(', ') : null;
  }
  if (isObj(value)) {
    if (isAdfDocument(value)) return adfToText(value);
    const label = objectLabel(value);
    if (label !== null && isObj(value.child)) {
      const child = fieldText(value.child);
      return child === null ? label : `${label} > ${child}`;
    }
    return label ?? JSON.stringify(value);
  }
  return String(value);
};

/** Team field: Atlassian teams are `{id, name, title}` objects (older team fields are options or strings). */
export const teamText = (value: unknown): string | null => {
  if (Array.isArray(value)) return fieldText(value.map(teamText));
  if (isObj(value)) return nonEmpty(value.name) ?? nonEmpty(value.title) ?? objectLabel(value);
  return fieldText(value);
};

/** Story points as a number: numbers as they are, numeric text parsed, anything else null. */
export const storyPoints = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
};

/**
 * Whether the issue has development information. Jira's development field is a summary string:
 * `{}` when there is none, `{pullrequest={...}, json=...}` otherwise; some sites return objects.
 */
export const hasDevelopment = (value: unknown): boolean => {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') {
    const s = value.trim();
    return s !== '' && s !== '{}';
  }
  if (Array.isArray(value)) return value.length > 0;
  if (isObj(value)) return Object.keys(value).length > 0;
  return Boolean(value);
};
