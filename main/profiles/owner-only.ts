import { chmodSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Credential files (profiles, users, a `--profile` file) must be readable by their owner only.
 * These two helpers are the one place that checks and writes them that way.
 */

/** Why `path` is not owner-only, with the command that fixes it; null when it is fine. */
export const ownerOnlyProblem = (path: string, what: string): string | null => {
  // POSIX modes mean nothing on Windows; there the user profile's ACLs protect these files.
  if (process.platform === 'win32') return null;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  return `${what} ${path} is readable by other users (mode ${mode.toString(8).padStart(3, '0')}): run \`chmod 600 ${path}\` and start again.`;
};

/** Writes atomically (temp file + rename) with mode 0600 from the first byte; the folder is created 0700. */
export const writeOwnerOnly = (path: string, text: string): void => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
};
