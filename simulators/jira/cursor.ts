/**
 * `nextPageToken` for /search/jql. Opaque to clients (signed base64url), bound to the query it was issued
 * for, and expiring after 7 days like Jira's; anything else is rejected with 400.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const WEEK = 7 * 24 * 3_600_000;

export class CursorCodec {
  private readonly secret: Buffer;

  constructor(secret: Buffer = randomBytes(32)) {
    this.secret = secret;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 22);
  }

  static queryId(jql: string): string {
    return createHash('sha256').update(jql.trim()).digest('base64url').slice(0, 12);
  }

  encode(jql: string, offset: number, now = Date.now()): string {
    const payload = Buffer.from(JSON.stringify({ q: CursorCodec.queryId(jql), o: offset, t: now })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The offset the token points at, or null when it is malformed, forged, expired or for another query. */
  decode(token: string, jql: string, now = Date.now()): number | null {
    const [payload, sig, extra] = token.split('.');
    if (!payload || !sig || extra !== undefined) return null;
    const want = Buffer.from(this.sign(payload));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    try {
      const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { q?: unknown; o?: unknown; t?: unknown };
      if (v.q !== CursorCodec.queryId(jql) || typeof v.o !== 'number' || typeof v.t !== 'number') return null;
      if (now - v.t > WEEK || v.o < 0) return null;
      return v.o;
    } catch {
      return null;
    }
  }
}
