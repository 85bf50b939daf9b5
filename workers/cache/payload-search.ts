import type Database from 'better-sqlite3';

import { decodePayload } from './payload-codec';

/**
 * Text search over cached payloads. FTS5 is a compile-time option of SQLite: the better-sqlite3 12
 * build here has it (checked by raw-cache.test.ts), but the cache must still open without it, so the
 * index is created here rather than in a migration, and a LIKE scan is the fallback.
 *
 * The index is contentless (`content=''`): payloads are stored compressed in raw_units, so FTS5 could
 * not read them back as external content, and a second plain copy would defeat the compression.
 * `contentless_delete=1` (SQLite 3.43+) lets eviction delete index rows by rowid.
 */
export type SearchMode = 'fts5' | 'like';

const CREATE_FTS = `CREATE VIRTUAL TABLE raw_units_fts USING fts5(
  payload, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`;
// Keeps the index in step with eviction and clears; inserts are done by the writer, which has the plain text.
const CREATE_TRIGGER = `CREATE TRIGGER IF NOT EXISTS raw_units_fts_ad AFTER DELETE ON raw_units BEGIN
  DELETE FROM raw_units_fts WHERE rowid = OLD.raw_id;
END`;

/** The LIKE fallback needs the plain text of compressed payloads. */
export const registerPayloadFunction = (db: Database.Database): void => {
  db.function('sluice_payload_text', { deterministic: true }, (encoding, data) => decodePayload(String(encoding), data as Buffer));
};

/**
 * Creates the FTS index when this build supports it and the file has none yet, back-filling it from
 * units cached by a build without FTS5. Returns the mode `text` filters will use.
 */
export const setupSearch = (db: Database.Database, wantFts: boolean): SearchMode => {
  registerPayloadFunction(db);
  if (!wantFts) return 'like';
  const exists = () => db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'raw_units_fts'").get() !== undefined;
  if (exists()) return 'fts5';
  try {
    db.transaction(() => {
      if (exists()) return;
      db.exec(CREATE_FTS);
      db.exec(CREATE_TRIGGER);
      const insert = db.prepare('INSERT INTO raw_units_fts (rowid, payload) VALUES (?, ?)');
      const rows = db.prepare('SELECT raw_id, encoding, payload FROM raw_units').iterate() as Iterable<{ raw_id: number; encoding: string; payload: Buffer }>;
      const batch: [number, string][] = [];
      for (const r of rows) batch.push([r.raw_id, decodePayload(r.encoding, r.payload)]);
      for (const [id, text] of batch) insert.run(id, text);
    }).immediate();
    return 'fts5';
  } catch (err) {
    // "no such module: fts5" or an SQLite older than 3.43 (no contentless_delete): fall back.
    if (err instanceof Error && /fts5|contentless_delete/i.test(err.message)) return 'like';
    throw err;
  }
};

/** A phrase query: the words in order, the last one as a prefix. Null when the text has no word to match. */
export const ftsPhrase = (text: string): string | null => {
  if (!/[\p{L}\p{N}]/u.test(text)) return null;
  return `"${text.replaceAll('"', '""')}" *`;
};

export const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
