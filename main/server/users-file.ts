import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import { z } from 'zod';

import { Role } from '../../shared/contract/roles';
import { ownerOnlyProblem, writeOwnerOnly } from '../profiles/owner-only';

/**
 * The users of `sluice serve`: a JSON file (SLUICE_USERS_FILE, default `<home>/users.json`) with a
 * name, a role and the SHA-256 of each user's token. Tokens are 32 random bytes, so a plain hash is
 * enough: nobody can brute-force 256 bits, and slow password hashes exist for guessable passwords.
 * The file never holds a token, yet it is still kept owner-only, like every credential file.
 */

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** The name the legacy single token (SLUICE_TOKEN, `<home>/serve-token`) signs in as. */
export const SERVE_TOKEN_PRINCIPAL = 'serve-token';

export const UserName = z
  .string()
  .regex(USERNAME_PATTERN, 'a user name is 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((n) => n !== SERVE_TOKEN_PRINCIPAL, `"${SERVE_TOKEN_PRINCIPAL}" is the name of the server's own token`);

const TokenHash = z.string().regex(/^sha256:[0-9a-f]{64}$/);

export const UserRecord = z.strictObject({ name: UserName, role: Role, tokenHash: TokenHash, createdAt: z.string() });
export type UserRecord = z.infer<typeof UserRecord>;

const UsersFileSchema = z.strictObject({ version: z.literal(1), users: z.array(UserRecord) });

export class UsersFileError extends Error {
  override readonly name = 'UsersFileError';
}

export const hashToken = (token: string): string => `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;

/** A fresh user token: 32 random bytes, prefixed so it is recognisable in a secret scanner. */
export const newUserToken = (): string => `sluice_${randomBytes(32).toString('base64url')}`;

/** The users in the file; an absent file means no users (only the server token signs in). */
export const readUsers = (path: string): UserRecord[] => {
  if (!existsSync(path)) return [];
  const problem = ownerOnlyProblem(path, 'The users file');
  if (problem) throw new UsersFileError(problem);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsersFileError(`The users file ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix it or recreate it with \`sluice users add\`.`);
  }
  const parsed = UsersFileSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UsersFileError(`The users file ${path} is malformed at ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'unknown problem'}; fix it or recreate it with \`sluice users add\`.`);
  }
  const names = new Set<string>();
  for (const user of parsed.data.users) {
    if (names.has(user.name)) throw new UsersFileError(`The users file ${path} lists "${user.name}" twice; remove one.`);
    names.add(user.name);
  }
  return parsed.data.users;
};

/** Writes the whole file atomically, owner-only from the first byte. */
export const writeUsers = (path: string, users: readonly UserRecord[]): void => writeOwnerOnly(path, `${JSON.stringify({ version: 1, users }, null, 2)}\n`);

/** Adds a user and returns their token, which exists only in this return value. */
export const addUser = (path: string, name: string, role: Role, now = new Date()): { user: UserRecord; token: string } => {
  const checkedName = UserName.parse(name);
  const users = readUsers(path);
  if (users.some((u) => u.name === checkedName)) throw new UsersFileError(`User "${checkedName}" already exists: use \`sluice users rotate ${checkedName}\` for a new token, or remove it first.`);
  const token = newUserToken();
  const user: UserRecord = { name: checkedName, role, tokenHash: hashToken(token), createdAt: now.toISOString() };
  writeUsers(path, [...users, user]);
  return { user, token };
};

/** Replaces a user's token (the old one stops working at once) and optionally their role. */
export const rotateUser = (path: string, name: string, role?: Role): { user: UserRecord; token: string } => {
  const users = readUsers(path);
  const current = users.find((u) => u.name === name);
  if (!current) throw new UsersFileError(`There is no user "${name}": \`sluice users list\` shows who exists.`);
  const token = newUserToken();
  const user: UserRecord = { ...current, role: role ?? current.role, tokenHash: hashToken(token) };
  writeUsers(path, users.map((u) => (u.name === name ? user : u)));
  return { user, token };
};

export const removeUser = (path: string, name: string): UserRecord => {
  const users = readUsers(path);
  const current = users.find((u) => u.name === name);
  if (!current) throw new UsersFileError(`There is no user "${name}": \`sluice users list\` shows who exists.`);
  writeUsers(path, users.filter((u) => u.name !== name));
  return current;
};
