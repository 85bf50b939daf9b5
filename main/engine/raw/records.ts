import type { RecordLocator } from '../../../shared/contract/raw';

/**
 * Where the records of each stream's payload are, and which field is an entity's natural key: what
 * "two versions of the same entity" means for the diff (DESIGN.md section 7). Connector metadata,
 * kept next to the inspector for now; it belongs with the connector plans (shared/connectors) once a
 * second user needs it. A stream missing here simply has no entity list (the payload still shows).
 *
 * Payload shapes: workers/connectors/<provider>/extract (what each page stores).
 */
const many = (path: string[], key: string, label: string | null, noun: string): RecordLocator => ({ path, single: false, key, label, noun });
const one = (path: string[], key: string | null, label: string | null, noun: string): RecordLocator => ({ path, single: true, key, label, noun });

const LOCATORS: Readonly<Record<string, Readonly<Record<string, RecordLocator>>>> = {
  jira: {
    projects: many(['values'], 'id', 'key', 'project'),
    statuses: many([], 'id', 'name', 'status'),
    project_statuses: many([], 'id', 'name', 'issue type'),
    fields: many([], 'id', 'name', 'field'),
    issues: many(['search', 'issues'], 'id', 'key', 'issue'),
    // One issue's development panel: the unit is the entity, named by its partition.
    dev_status: one([], null, null, 'development panel'),
    sprints: one(['sprint'], 'id', 'name', 'sprint'),
  },
  github: {
    repositories: many(['items'], 'id', 'full_name', 'repository'),
    pull_requests: many(['data', 'repository', 'pullRequests', 'nodes'], 'id', 'number', 'pull request'),
    pr_nested: one([], null, null, 'nested page'),
  },
  synthetic: { items: many(['records'], 'id', 'value', 'item') },
  synthetic_tree: { items: many(['records'], 'id', 'value', 'item'), details: many(['records'], 'id', 'value', 'detail') },
};

export const recordLocator = (connector: string | null, stream: string): RecordLocator | null =>
  (connector !== null && Object.hasOwn(LOCATORS, connector) && Object.hasOwn(LOCATORS[connector]!, stream) ? LOCATORS[connector]![stream]! : null);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A jsonpath literal for a field name (quoted, so any name is safe). */
const member = (name: string): string => `."${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/**
 * The SQL/JSON path selecting the record with natural key `$key` (a jsonpath variable), or the
 * single record. Field names come from LOCATORS above, never from a caller.
 */
export const recordPath = (locator: RecordLocator): string => {
  for (const part of [...locator.path, ...(locator.key ? [locator.key] : [])]) {
    if (!IDENT.test(part)) throw new Error(`record locator field "${part}" is not a plain name`);
  }
  const base = `strict $${locator.path.map(member).join('')}`;
  if (locator.single) return locator.key ? `${base} ? (@${member(locator.key)} == $key)` : base;
  return `${base}[*] ? (@${member(locator.key!)} == $key)`;
};

/** The records of a parsed payload (the same walk the console does to list them). */
export const recordsOf = (locator: RecordLocator, payload: unknown): unknown[] => {
  let node: unknown = payload;
  for (const part of locator.path) node = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>)[part] : undefined;
  if (locator.single) return node === undefined || node === null ? [] : [node];
  return Array.isArray(node) ? node : [];
};

export const keyOf = (locator: RecordLocator, record: unknown): unknown =>
  locator.key && record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[locator.key] : undefined;
