import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Bulk idempotent upsert at close to COPY speed (machine-notes section 8: COPY ~100k rows/s against
 * ~20k rows/s for a multi-row INSERT ... ON CONFLICT):
 *
 * 1. de-duplicate the batch on the natural key, last row wins, so the merge never hits "ON CONFLICT
 *    DO UPDATE command cannot affect row a second time";
 * 2. COPY the rows (text format, see `encodeCopyValue`) into a temp staging table dropped at commit;
 * 3. one `INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE ... WHERE (changed) IS DISTINCT FROM`,
 *    so unchanged rows are not rewritten (no dead tuples, no WAL, no trigger churn), counting inserted
 *    and updated rows via `xmax = 0`.
 *
 * The staging table is `CREATE TEMP TABLE ... AS SELECT <columns> FROM target WITH NO DATA` rather
 * than `(LIKE target INCLUDING DEFAULTS)`: LIKE copies NOT NULL constraints of columns the caller
 * does not send (an identity id, a defaulted created_at), which would fail the COPY. With only the
 * sent columns, omitted ones get the target's defaults at the INSERT, which is what we want.
 *
 * It runs inside the caller's transaction (RLS tenant scope, status updates and the upsert commit
 * together) under a savepoint: on error it rolls back to the savepoint and rethrows, so the caller's
 * transaction stays usable (e.g. to mark the raw row failed).
 *
 * COPY text encoding: one row per line, tab-separated, `\N` for NULL, backslash escapes. Text rather
 * than binary: binary needs each column's exact wire type (int4 vs int8, jsonb's version byte,
 * timestamp epochs) and saves little when most bytes are JSON text anyway.
 */

/** How a target column wants its values: decided once per column from the catalog. */
export type ColumnKind = 'json' | 'array' | 'bytea' | 'plain';

/** A JSON document that is already serialized (e.g. a page as fetched): sent as is, not re-stringified. */
export class JsonText {
  constructor(readonly text: string) {}
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '' };

/** Five single-character scans beat one regex test by ~5x on 1 KB JSON strings (measured). */
const needsEscape = (s: string): boolean =>
  s.indexOf('\\') !== -1 || s.indexOf('\n') !== -1 || s.indexOf('\t') !== -1 || s.indexOf('\r') !== -1 || s.indexOf('\0') !== -1;

/**
 * Escapes one text value for COPY. U+0000 is dropped: PostgreSQL text cannot store it at all, and an
 * API string containing one must not fail a whole batch.
 */
export const escapeCopyText = (s: string): string => (needsEscape(s) ? s.replace(/[\\\n\r\t\0]/g, (c) => ESCAPES[c]!) : s);

/** jsonb rejects `\u0000` in strings; drop the character (as for text) rather than fail the batch. */
const stripJsonNul = (json: string): string => {
  // A single-character scan first: most documents have no backslash at all.
  if (json.indexOf('\\') === -1 || !json.includes('\\u0000')) return json;
  return JSON.stringify(JSON.parse(json), (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\0', '') : v));
};

const arrayElement = (v: unknown): string => {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v)) return arrayLiteral(v);
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return `"${s.replaceAll('\0', '').replace(/[\\"]/g, '\\$&')}"`;
};

/** A PostgreSQL array literal, e.g. `{"a","b c",NULL}`; every element quoted, so commas and braces are safe. */
export const arrayLiteral = (values: readonly unknown[]): string => `{${values.map(arrayElement).join(',')}}`;

/** One value in COPY text form (already escaped). */
export const encodeCopyValue = (value: unknown, kind: ColumnKind = 'plain'): string => {
  if (value === null || value === undefined) return '\\N';
  if (kind === 'json') {
    const json = value instanceof JsonText ? value.text : JSON.stringify(value);
    return escapeCopyText(stripJsonNul(json));
  }
  if (value instanceof JsonText) return escapeCopyText(value.text);
  if (kind === 'array' && Array.isArray(value)) return escapeCopyText(arrayLiteral(value));
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  switch (typeof value) {
    case 'string':
      return escapeCopyText(value);
    case 'number':
      if (Number.isFinite(value)) return String(value);
      return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 't' : 'f';
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new Error('Cannot COPY an invalid Date; fix the value or send null.');
        return value.toISOString();
      }
      return escapeCopyText(JSON.stringify(value));
    default:
      throw new Error(`Cannot COPY a value of type ${typeof value}; send a string, number, boolean, Date, Buffer, array, object or null.`);
  }
};

/** One row as a COPY text line, including the trailing newline. */
export const encodeCopyRow = (row: Readonly<Record<string, unknown>>, columns: readonly string[], kinds: readonly ColumnKind[]): string => {
  let line = '';
  for (let i = 0; i < columns.length; i += 1) {
    if (i > 0) line += '\t';
    line += encodeCopyValue(row[columns[i]!], kinds[i]);
  }
  return `${line}\n`;
};

export type Row = Readonly<Record<string, unknown>>;

export interface CopySpec<R extends Row> {
  /** Target table, optionally schema-qualified (`public.work_items`). */
  readonly table: string;
  readonly columns: readonly (keyof R & string)[];
  readonly rows: readonly R[];
}

export interface BulkUpsertSpec<R extends Row> extends CopySpec<R> {
  /** The natural key: columns of a unique index or constraint on the table. Must be in `columns`. */
  readonly key: readonly (keyof R & string)[];
  /** Columns to overwrite on conflict; default all non-key columns; `[]` means DO NOTHING. */
  readonly updateColumns?: readonly (keyof R & string)[];
  /**
   * A column that orders versions of a row (Sluice uses `raw_id`, the raw unit the row came from: a
   * later page or run has a higher id). An existing row is replaced only by a row of the same or a
   * higher version, so loads finishing out of order never put older data back.
   */
  readonly versionColumn?: keyof R & string;
  /**
   * `auto` (default): batches up to SMALL_BATCH rows go in one statement (`jsonb_populate_recordset`:
   * one round trip instead of six), larger ones through COPY and a staging table. `json` / `copy`
   * force one way (tests, benchmarks).
   */
  readonly strategy?: 'auto' | 'json' | 'copy';
  /**
   * Run under a savepoint, so a failure leaves the caller's transaction usable (default false for the
   * one-statement path, where the pipeline rolls back the whole unit anyway; the COPY path always uses
   * one, its staging table needs the transaction).
   */
  readonly isolateErrors?: boolean;
}

/** Up to this many rows an upsert is one statement; above, COPY + merge is faster (measured: scripts/bench-upsert.ts). */
export const SMALL_BATCH = 1000;

export interface BulkUpsertResult {
  readonly inserted: number;
  readonly updated: number;
  /** Rows whose key existed with identical values: not rewritten. */
  readonly unchanged: number;
  /** Earlier rows of the batch replaced by a later row with the same key. */
  readonly duplicates: number;
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteTable = (table: string): string => table.split('.').map(quoteIdent).join('.');

interface ColumnInfo {
  readonly kind: ColumnKind;
  readonly type: string;
}

/**
 * Column kinds per database and table, cached: loads call bulkUpsert for a dozen tables per unit, and
 * the catalog does not change under a running worker (migrations run before workers start). A miss
 * for a wanted column re-reads the catalog once before failing.
 */
const columnCache = new Map<string, Map<string, ColumnInfo>>();

const describeColumns = async (client: pg.ClientBase, table: string, wanted: readonly string[]): Promise<Map<string, ColumnInfo>> => {
  const cacheKey = `${(client as { database?: string }).database ?? ''}\u0000${table}`;
  const cached = columnCache.get(cacheKey);
  if (cached && wanted.every((c) => cached.has(c))) return cached;
  const info = await readColumns(client, table, wanted);
  columnCache.set(cacheKey, info);
  return info;
};

/** Column kinds from the catalog; fails with the names the table lacks. */
const readColumns = async (client: pg.ClientBase, table: string, wanted: readonly string[]): Promise<Map<string, ColumnInfo>> => {
  const { rows } = await client.query<{ name: string; type: string; category: string }>(
    `SELECT a.attname AS name, t.typname AS type, t.typcategory AS category
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [quoteTable(table)],
  );
  const info = new Map<string, ColumnInfo>();
  for (const r of rows) {
    const kind: ColumnKind = r.type === 'json' || r.type === 'jsonb' ? 'json' : r.category === 'A' ? 'array' : r.type === 'bytea' ? 'bytea' : 'plain';
    info.set(r.name, { kind, type: r.type });
  }
  const missing = wanted.filter((c) => !info.has(c));
  if (missing.length > 0) throw new Error(`Table ${table} has no column ${missing.join(', ')}; check the column list.`);
  return info;
};

/** Streams rows into `table` with COPY FROM STDIN (text format). Returns the number of rows sent. */
export const copyRows = async <R extends Row>(client: pg.ClientBase, spec: CopySpec<R>, kinds?: readonly ColumnKind[]): Promise<number> => {
  const columns = spec.columns;
  let resolvedKinds = kinds;
  if (!resolvedKinds) {
    const info = await describeColumns(client, spec.table, columns);
    resolvedKinds = columns.map((c) => info.get(c)!.kind);
  }
  const encodeKinds = resolvedKinds;
  const rows = spec.rows;
  // ~256 KB chunks: few enough writes to be cheap, small enough to keep memory flat.
  function* chunks(): Generator<string> {
    let buffer = '';
    for (const row of rows) {
      buffer += encodeCopyRow(row, columns, encodeKinds);
      if (buffer.length >= 262_144) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  const sql = `COPY ${quoteTable(spec.table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`;
  await pipeline(Readable.from(chunks()), client.query(copyFrom(sql)));
  return rows.length;
};

/** Last row per key wins; rows with a NULL key part never conflict, so all of them are kept. */
const dedupe = <R extends Row>(rows: readonly R[], key: readonly string[]): R[] => {
  const last = new Map<string, number>();
  const keyOf = (row: R): string | null => {
    let k = '';
    for (const col of key) {
      const v = row[col];
      if (v === null || v === undefined) return null;
      k += `${v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v)}\u0000`;
    }
    return k;
  };
  rows.forEach((row, i) => {
    const k = keyOf(row);
    if (k !== null) last.set(k, i);
  });
  if (last.size === rows.length) return rows as R[];
  return rows.filter((row, i) => {
    const k = keyOf(row);
    return k === null || last.get(k) === i;
  });
};

let stagingCounter = 0;

/** `ON CONFLICT` action: update only what changed, and only from the same or a newer version. */
const conflictClause = (info: Map<string, ColumnInfo>, updateColumns: readonly string[], version: string | undefined): string => {
  const comparable = (prefix: string, c: string): string => `${prefix}.${quoteIdent(c)}${info.get(c)!.type === 'json' ? '::jsonb' : ''}`;
  if (updateColumns.length === 0) return 'DO NOTHING';
  return `DO UPDATE SET ${updateColumns.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(', ')}
           WHERE (${updateColumns.map((c) => comparable('t', c)).join(', ')}) IS DISTINCT FROM (${updateColumns.map((c) => comparable('EXCLUDED', c)).join(', ')})${
             version === undefined ? '' : ` AND (t.${quoteIdent(version)} IS NULL OR EXCLUDED.${quoteIdent(version)} >= t.${quoteIdent(version)})`
           }`;
};

/** A value as JSON for jsonb_populate_recordset: Dates as ISO, pre-serialized JSON parsed, bytea as `\x` hex. */
const jsonValue = (value: unknown, kind: ColumnKind): unknown => {
  if (value === undefined) return null;
  if (value instanceof JsonText) return JSON.parse(value.text) as unknown;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('Cannot upsert an invalid Date; fix the value or send null.');
    return value.toISOString();
  }
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (kind === 'plain' && value !== null && typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
};

/**
 * The one-statement path: the batch as one jsonb parameter, turned into rows of the table's own type
 * by `jsonb_populate_recordset` (so every value is cast exactly as the column wants), merged with the
 * same `ON CONFLICT` rule as the COPY path.
 */
const upsertJson = async <R extends Row>(client: pg.ClientBase, spec: BulkUpsertSpec<R>, updateColumns: readonly string[]): Promise<BulkUpsertResult> => {
  const { table, columns, key } = spec;
  const isolate = spec.isolateErrors ?? false;
  if (isolate) await client.query('SAVEPOINT sluice_bulk_upsert');
  try {
    const info = await describeColumns(client, table, [...columns, ...updateColumns]);
    const rows = dedupe(spec.rows, key);
    const kinds = columns.map((c) => info.get(c)!.kind);
    const payload = stripJsonNul(JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, jsonValue(row[c], kinds[i]!)])))));
    const cols = columns.map(quoteIdent).join(', ');
    const { rows: counts } = await client.query<{ inserted: number; updated: number }>(
      `WITH merged AS (
         INSERT INTO ${quoteTable(table)} AS t (${cols})
         SELECT ${cols} FROM jsonb_populate_recordset(NULL::${quoteTable(table)}, $1::jsonb)
         ON CONFLICT (${key.map(quoteIdent).join(', ')}) ${conflictClause(info, updateColumns, spec.versionColumn)}
         RETURNING (t.xmax = 0) AS inserted
       ) SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM merged`,
      [payload],
    );
    if (isolate) await client.query('RELEASE SAVEPOINT sluice_bulk_upsert');
    const inserted = counts[0]?.inserted ?? 0;
    const updated = counts[0]?.updated ?? 0;
    return { inserted, updated, unchanged: rows.length - inserted - updated, duplicates: spec.rows.length - rows.length };
  } catch (error) {
    if (isolate) await client.query('ROLLBACK TO SAVEPOINT sluice_bulk_upsert').catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Bulk upsert into ${table} failed${isolate ? ' and was rolled back to its savepoint' : ''}: ${message}`, { cause: error });
  }
};

/**
 * Upserts `rows` into `table` on the natural `key` (see the module comment). Must run inside a
 * transaction; resolves with how many rows were inserted, updated, unchanged and de-duplicated.
 */
export const bulkUpsert = async <R extends Row>(client: pg.ClientBase, spec: BulkUpsertSpec<R>): Promise<BulkUpsertResult> => {
  const { table, columns, key } = spec;
  if (columns.length === 0 || key.length === 0) throw new Error('bulkUpsert needs at least one column and one key column.');
  const notInColumns = key.filter((k) => !columns.includes(k));
  if (notInColumns.length > 0) throw new Error(`Key column ${notInColumns.join(', ')} is not in the column list of the upsert into ${table}.`);
  const updateColumns = spec.updateColumns ?? columns.filter((c) => !key.includes(c));
  const version = spec.versionColumn;
  if (version !== undefined && !columns.includes(version)) throw new Error(`Version column ${version} is not in the column list of the upsert into ${table}.`);
  if (spec.rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, duplicates: 0 };
  const strategy = spec.strategy ?? 'auto';
  if (strategy === 'json' || (strategy === 'auto' && spec.rows.length <= SMALL_BATCH)) return upsertJson(client, spec, updateColumns);

  try {
    await client.query('SAVEPOINT sluice_bulk_upsert');
  } catch (error) {
    if ((error as { code?: string }).code === '25P01') {
      throw new Error('bulkUpsert must run inside a transaction (BEGIN ... COMMIT): its staging table lives until commit.');
    }
    throw error;
  }
  try {
    const info = await describeColumns(client, table, [...columns, ...updateColumns]);
    const rows = dedupe(spec.rows, key);
    stagingCounter += 1;
    const staging = `sluice_staging_${process.pid}_${stagingCounter}`;
    const cols = columns.map(quoteIdent).join(', ');
    await client.query(`CREATE TEMP TABLE ${staging} ON COMMIT DROP AS SELECT ${cols} FROM ${quoteTable(table)} WITH NO DATA`);
    await copyRows(client, { table: staging, columns, rows }, columns.map((c) => info.get(c)!.kind));

    const onConflict = conflictClause(info, updateColumns, version);
    const { rows: counts } = await client.query<{ inserted: number; updated: number }>(
      `WITH merged AS (
         INSERT INTO ${quoteTable(table)} AS t (${cols}) SELECT ${cols} FROM ${staging}
         ON CONFLICT (${key.map(quoteIdent).join(', ')}) ${onConflict}
         RETURNING (t.xmax = 0) AS inserted
       ) SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM merged`,
    );
    await client.query(`DROP TABLE ${staging}`); // several upserts in one transaction need not pile up
    await client.query('RELEASE SAVEPOINT sluice_bulk_upsert');
    const inserted = counts[0]?.inserted ?? 0;
    const updated = counts[0]?.updated ?? 0;
    return { inserted, updated, unchanged: rows.length - inserted - updated, duplicates: spec.rows.length - rows.length };
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT sluice_bulk_upsert').catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Bulk upsert into ${table} failed and was rolled back to its savepoint: ${message}`, { cause: error });
  }
};
