import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it, vi } from 'vitest';

import { Principals } from './principals';
import { addUser, hashToken, readUsers, removeUser, rotateUser, UsersFileError } from './users-file';

const SERVE = 'serve-token-0123456789abcdef';
const usersPath = () => join(mkdtempSync(join(tmpdir(), 'sluice-users-')), 'users.json');

describe('users file', () => {
  it('stores names, roles and token hashes owner-only, never a token', () => {
    const path = usersPath();
    const { token, user } = addUser(path, 'alice', 'viewer', new Date('2026-02-01T00:00:00Z'));
    expect(token).toMatch(/^sluice_[A-Za-z0-9_-]{43}$/);
    expect(user).toEqual({ name: 'alice', role: 'viewer', tokenHash: hashToken(token), createdAt: '2026-02-01T00:00:00.000Z' });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(7, 30));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readUsers(path)).toEqual([user]);
  });

  it('refuses bad names, duplicates and unknown users with what to do', () => {
    const path = usersPath();
    addUser(path, 'bob', 'operator');
    expect(() => addUser(path, 'bob', 'admin')).toThrow(/already exists: use `sluice users rotate bob`/);
    for (const name of ['', 'Bob', '../etc', 'a b', 'serve-token', 'x'.repeat(65)]) expect(() => addUser(path, name, 'viewer'), name).toThrow();
    expect(() => removeUser(path, 'carol')).toThrow(/no user "carol"/);
    expect(() => rotateUser(path, 'carol')).toThrow(UsersFileError);
  });

  it('refuses a users file others can read, and a malformed one, saying how to fix it', () => {
    const path = usersPath();
    addUser(path, 'dave', 'viewer');
    chmodSync(path, 0o644);
    expect(() => readUsers(path)).toThrow(`run \`chmod 600 ${path}\``);
    chmodSync(path, 0o600);
    writeFileSync(path, '{"version":1,"users":[{"name":"dave","role":"root","tokenHash":"x","createdAt":"now"}]}', { mode: 0o600 });
    expect(() => readUsers(path)).toThrow(/malformed at users\.0\.role/);
    writeFileSync(path, '{nope', { mode: 0o600 });
    expect(() => readUsers(path)).toThrow(/not valid JSON/);
  });
});

describe('Principals', () => {
  it('maps each token to its user and role; the server token is admin', () => {
    const path = usersPath();
    const alice = addUser(path, 'alice', 'viewer').token;
    const olga = addUser(path, 'olga', 'operator').token;
    const p = new Principals({ serveToken: SERVE, usersFile: path });
    expect(p.byToken(SERVE)).toEqual({ name: 'serve-token', role: 'admin' });
    expect(p.byToken(alice)).toEqual({ name: 'alice', role: 'viewer' });
    expect(p.byToken(olga)).toEqual({ name: 'olga', role: 'operator' });
    expect(p.byToken(`${alice}x`)).toBeNull();
    expect(p.byToken(hashToken(alice))).toBeNull();
  });

  it('sees users added, rotated and removed while it runs, without a restart', () => {
    const path = usersPath();
    const p = new Principals({ serveToken: SERVE, usersFile: path });
    const first = addUser(path, 'erin', 'viewer').token;
    expect(p.byToken(first)).toEqual({ name: 'erin', role: 'viewer' });
    const cookie = p.sessionFor({ name: 'erin', role: 'viewer' });
    expect(p.bySession(cookie)).toEqual({ name: 'erin', role: 'viewer' });
    const second = rotateUser(path, 'erin', 'operator').token;
    expect(p.byToken(first)).toBeNull();
    expect(p.byToken(second)).toEqual({ name: 'erin', role: 'operator' });
    // Rotating the token ends the sessions opened with the old one.
    expect(p.bySession(cookie)).toBeNull();
    removeUser(path, 'erin');
    expect(p.byToken(second)).toBeNull();
  });

  it('refuses forged and tampered session cookies', () => {
    const path = usersPath();
    addUser(path, 'frank', 'viewer');
    const p = new Principals({ serveToken: SERVE, usersFile: path });
    const real = p.sessionFor({ name: 'frank', role: 'viewer' });
    const [, , mac] = real.split('.');
    const asServe = `v1.${Buffer.from('serve-token').toString('base64url')}.${mac}`;
    for (const value of [asServe, `${real}x`, 'v1..', 'v2.' + real.slice(3), '', real.replace('v1.', 'v1.AAAA')]) expect(p.bySession(value), value).toBeNull();
    expect(p.bySession(real)).toEqual({ name: 'frank', role: 'viewer' });
  });

  it('fails closed when the users file breaks while serving, and says so', () => {
    const path = usersPath();
    const token = addUser(path, 'gina', 'admin').token;
    const onReloadError = vi.fn();
    const p = new Principals({ serveToken: SERVE, usersFile: path, onReloadError });
    expect(p.byToken(token)).not.toBeNull();
    writeFileSync(path, 'garbage', { mode: 0o600 });
    expect(p.byToken(token)).toBeNull();
    expect(p.byToken(SERVE)).toEqual({ name: 'serve-token', role: 'admin' });
    expect(onReloadError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('not valid JSON') }));
  });

  it('refuses to start on a broken users file', () => {
    const path = usersPath();
    writeFileSync(path, '[]', { mode: 0o600 });
    expect(() => new Principals({ serveToken: SERVE, usersFile: path })).toThrow(/malformed/);
  });
});
