import { createHash, createHmac } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';

import type { Role } from '../../shared/contract/roles';
import { safeEqual } from './token';
import { hashToken, readUsers, SERVE_TOKEN_PRINCIPAL } from './users-file';

/** Who a request is, once its token or session cookie checked out. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

interface Entry extends Principal {
  readonly tokenHash: string;
}

export interface PrincipalsOptions {
  /** The server's own token (SLUICE_TOKEN or `<home>/serve-token`): signs in as admin. */
  readonly serveToken: string;
  /** The users file, or null for none. */
  readonly usersFile: string | null;
  /** Told when the users file turns unreadable while serving (the users are locked out until it is fixed). */
  readonly onReloadError?: (error: Error) => void;
}

/**
 * Everyone who may call `sluice serve`: the server token (admin) and the users of the users file.
 * The file is re-read when it changes, so `sluice users add|remove|rotate` takes effect at once,
 * without a restart. A file that breaks while serving locks its users out (fail closed) instead of
 * keeping a list that may include someone just removed.
 *
 * Browser sessions are stateless: the cookie names the user and carries an HMAC over the name and
 * the user's token hash, keyed by a key derived from the server token. So a leaked users file
 * alone cannot forge a session, rotating a token ends that user's sessions, and every serve host
 * sharing SLUICE_TOKEN accepts the same cookies.
 */
export class Principals {
  private readonly serveEntry: Entry;
  private readonly sessionKey: Buffer;
  private users: Entry[] = [];
  private fileStamp: string | null = null;

  constructor(private readonly options: PrincipalsOptions) {
    this.serveEntry = { name: SERVE_TOKEN_PRINCIPAL, role: 'admin', tokenHash: hashToken(options.serveToken) };
    this.sessionKey = createHash('sha256').update(`sluice-session-key:${options.serveToken}`).digest();
    // At start a broken users file stops the server with its message: better than serving without those users.
    this.reload(true);
  }

  /** The principal a bearer token (or `/auth?token=`) belongs to. */
  byToken(token: string): Principal | null {
    const hash = hashToken(token);
    const found = this.entries().find((e) => safeEqual(e.tokenHash, hash));
    return found ? { name: found.name, role: found.role } : null;
  }

  /** The principal a session cookie value belongs to (null when forged, stale or for a removed user). */
  bySession(value: string): Principal | null {
    const [version, encodedName, mac] = value.split('.');
    if (version !== 'v1' || !encodedName || !mac) return null;
    const name = Buffer.from(encodedName, 'base64url').toString('utf8');
    const entry = this.entries().find((e) => e.name === name);
    if (!entry || !safeEqual(mac, this.macOf(entry))) return null;
    return { name: entry.name, role: entry.role };
  }

  /** The cookie value that signs `principal` in; call right after `byToken` accepted its token. */
  sessionFor(principal: Principal): string {
    const entry = this.entries().find((e) => e.name === principal.name);
    if (!entry) throw new Error(`no principal named ${principal.name}`);
    return `v1.${Buffer.from(entry.name, 'utf8').toString('base64url')}.${this.macOf(entry)}`;
  }

  private macOf(entry: Entry): string {
    return createHmac('sha256', this.sessionKey).update(`${entry.name}\n${entry.tokenHash}`).digest('base64url');
  }

  private entries(): Entry[] {
    this.reload(false);
    return [this.serveEntry, ...this.users];
  }

  private reload(strict: boolean): void {
    const path = this.options.usersFile;
    if (!path) return;
    const stamp = existsSync(path) ? stampOf(path) : 'absent';
    if (stamp === this.fileStamp) return;
    this.fileStamp = stamp;
    try {
      this.users = readUsers(path);
    } catch (error) {
      this.users = [];
      if (strict) throw error;
      this.options.onReloadError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

const stampOf = (path: string): string => {
  const s = statSync(path);
  return `${s.ino}:${s.size}:${s.mtimeMs}:${s.mode}`;
};
