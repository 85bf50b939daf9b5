/**
 * Pure planning for both migration runners (Postgres and SQLite): which files are pending, and
 * the refusals that protect a database — a changed applied file, a gap in numbering, or a database
 * that is ahead of this build.
 */
export interface MigrationFile {
  /** File name, e.g. `0001_tenants.sql`. */
  readonly name: string;
  readonly version: number;
  readonly sql: string;
  /** sha256 hex of the SQL with line endings normalised. */
  readonly checksum: string;
}

export interface AppliedMigration {
  readonly name: string;
  readonly checksum: string;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

const NAME = /^(\d{4})_([a-z0-9][a-z0-9_]*)\.sql$/;

/** Line endings normalised so a Windows checkout has the same checksum as a Linux one. */
export const normaliseSql = (sql: string): string => sql.replace(/\r\n?/g, '\n');

export const parseMigrationName = (file: string): number | null => {
  const m = NAME.exec(file);
  return m ? Number(m[1]) : null;
};

/** Orders the files and checks their names; non-SQL files are ignored, badly named SQL is refused. */
export const orderMigrations = (files: readonly Omit<MigrationFile, 'version'>[]): MigrationFile[] => {
  const ordered: MigrationFile[] = [];
  for (const f of files) {
    if (!f.name.endsWith('.sql')) continue;
    const version = parseMigrationName(f.name);
    if (version === null) throw new MigrationError(`Migration file "${f.name}" is misnamed: use NNNN_lower_snake_name.sql.`);
    ordered.push({ ...f, version });
  }
  ordered.sort((a, b) => a.version - b.version);
  ordered.forEach((f, i) => {
    if (f.version !== i + 1) {
      throw new MigrationError(`Migration numbering must be 0001, 0002, … without gaps or duplicates; found ${f.name} at position ${i + 1}.`);
    }
  });
  return ordered;
};

export const planMigrations = (files: readonly MigrationFile[], applied: readonly AppliedMigration[]): MigrationFile[] => {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const a of applied) {
    const file = byName.get(a.name);
    if (!file) {
      throw new MigrationError(`The database has migration ${a.name}, which this build does not know: it was migrated by a newer Sluice. Upgrade Sluice.`);
    }
    if (file.checksum !== a.checksum) {
      throw new MigrationError(`Migration ${a.name} was changed after it was applied (checksum differs). Restore the original file; put schema changes in a new migration.`);
    }
  }
  const done = new Set(applied.map((a) => a.name));
  const pending = files.filter((f) => !done.has(f.name));
  const firstPending = pending[0];
  if (firstPending && files.some((f) => f.version > firstPending.version && done.has(f.name))) {
    throw new MigrationError(`Migration ${firstPending.name} is missing from the database although later ones are applied; the history was edited. Restore it by hand.`);
  }
  return pending;
};
