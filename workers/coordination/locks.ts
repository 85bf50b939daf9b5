import { randomBytes } from 'node:crypto';

/**
 * Job locks: one active run per job across every console and worker host (DESIGN.md section 5).
 *
 * A lock is a key with a TTL holding a random owner token. The holder renews it well before the TTL
 * runs out; if the holder dies, renewals stop, the key expires and the next `acquire` takes over.
 * Every successful acquire also gets a fencing number that only grows (per key), so a holder that
 * stalled past its TTL and wakes up can be refused by anything that compares fences (e.g. a run row
 * storing the fence of the lock it was started under).
 */
export interface Lock {
  readonly key: string;
  /** Random owner token; only this holder can renew or release. Never shown to other processes. */
  readonly token: string;
  /** Grows by one on every acquisition of this key; the newer holder always has the larger fence. */
  readonly fence: number;
  readonly ttlMs: number;
  /** Extends the TTL; false when the lock is no longer ours (expired and maybe taken over). */
  renew(): Promise<boolean>;
  /** Deletes the lock if it is still ours; false when it was not (nothing is deleted then). */
  release(): Promise<boolean>;
}

export interface LockInfo {
  readonly key: string;
  readonly fence: number;
  /** Time left before the lock expires unless renewed. */
  readonly ttlMs: number;
}

export interface LockService {
  /** Takes the lock if free (or expired); null when someone else holds it. */
  acquire(key: string, ttlMs: number): Promise<Lock | null>;
  /** Who holds a key, for the console; null when free. */
  inspect(key: string): Promise<LockInfo | null>;
}

export const newToken = (): string => randomBytes(16).toString('hex');

export const checkTtl = (ttlMs: number): void => {
  if (!Number.isInteger(ttlMs) || ttlMs < 100 || ttlMs > 24 * 3_600_000) throw new Error(`A lock TTL must be a whole number of ms between 100 and 24 h; got ${ttlMs}.`);
};

export interface KeepRenewedOptions {
  /** How often to renew; default a third of the TTL, so two renewals can fail before it expires. */
  readonly intervalMs?: number;
  /**
   * Called once when the lock is lost: `taken` when a renewal found another owner, `expired` when
   * renewals kept failing (e.g. Redis unreachable) until the TTL surely ran out. The holder must
   * stop the guarded work: someone else may be doing it now.
   */
  readonly onLost: (reason: 'taken' | 'expired', err?: unknown) => void;
}

/**
 * Renews `lock` on an interval until the returned `stop()` is called or the lock is lost. Errors do
 * not count as loss at once: the lock is still ours until the last confirmed expiry passes.
 */
export const keepRenewed = (lock: Lock, options: KeepRenewedOptions): { stop: () => void } => {
  const intervalMs = options.intervalMs ?? Math.max(50, Math.floor(lock.ttlMs / 3));
  let confirmedUntil = Date.now() + lock.ttlMs;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const lost = (reason: 'taken' | 'expired', err?: unknown) => {
    stopped = true;
    options.onLost(reason, err);
  };
  const tick = async () => {
    if (stopped) return;
    const sentAt = Date.now();
    try {
      const ok = await lock.renew();
      if (stopped) return;
      if (!ok) return lost('taken');
      // Measured from when the renewal was sent: the server may have applied it at any point after.
      confirmedUntil = sentAt + lock.ttlMs;
    } catch (err) {
      if (stopped) return;
      if (Date.now() >= confirmedUntil) return lost('expired', err);
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => void tick(), intervalMs);
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};

/** In-process locks for a single host without Redis: same semantics, one process only. */
export class MemoryLockService implements LockService {
  private readonly held = new Map<string, { token: string; fence: number; expiresAt: number }>();
  private readonly fences = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(key: string, ttlMs: number): Promise<Lock | null> {
    checkTtl(ttlMs);
    const current = this.held.get(key);
    if (current && current.expiresAt > this.now()) return null;
    const fence = (this.fences.get(key) ?? 0) + 1;
    this.fences.set(key, fence);
    const token = newToken();
    this.held.set(key, { token, fence, expiresAt: this.now() + ttlMs });
    const mine = () => {
      const h = this.held.get(key);
      return h !== undefined && h.token === token && h.expiresAt > this.now() ? h : null;
    };
    return {
      key,
      token,
      fence,
      ttlMs,
      renew: async () => {
        const h = mine();
        if (h) h.expiresAt = this.now() + ttlMs;
        return h !== null;
      },
      release: async () => {
        const ok = mine() !== null;
        if (ok) this.held.delete(key);
        return ok;
      },
    };
  }

  async inspect(key: string): Promise<LockInfo | null> {
    const h = this.held.get(key);
    const left = h ? h.expiresAt - this.now() : 0;
    return h && left > 0 ? { key, fence: h.fence, ttlMs: left } : null;
  }
}
