import { AsyncLocalStorage } from 'node:async_hooks';

import type pg from 'pg';

import type { ReplicaState } from '../../../shared/contract/session';
import { redactUrl } from '../../../shared/lib/redact';
import { createPool } from './pool';

/**
 * The read replica (issue 11): the console's read-only calls (`mutates: false` in the contract) run
 * on a replica when one is configured; everything else — writes, the scheduler, the run coordinator,
 * progress — stays on the primary. Handlers keep receiving one pg.Pool: it routes each query or
 * connect by the call it runs in (an AsyncLocalStorage scope set by dispatch), so no handler needs
 * to know. When the replica cannot be reached, reads fall back to the primary and the state says so
 * until a later read finds it back.
 */
const readScope = new AsyncLocalStorage<boolean>();

/** Runs `fn` as a read-only call (true) or a writing one (false). */
export const withReadScope = <T>(readOnly: boolean, fn: () => Promise<T>): Promise<T> => readScope.run(readOnly, fn);

/** SQLSTATE of a write refused by a standby (read_only_sql_transaction). */
const READ_ONLY_TRANSACTION = '25006';

/** How long reads stay on the primary after the replica failed, before trying it again. */
export const REPLICA_RETRY_MS = 15_000;

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE', '57P01', '57P03', '08006', '08001', '08004', '28P01', '28000', '3D000']);

/** Errors that mean "the replica is not usable now", as opposed to a bad query. */
const isUnreachable = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || /timeout exceeded when trying to connect|Connection terminated/i.test(message);
};

export interface DatabasePools {
  /** What handlers get: routes reads in a read scope to the replica. */
  readonly pool: pg.Pool;
  readonly primary: pg.Pool;
  replicaState(): ReplicaState;
  end(): Promise<void>;
}

export const createDatabasePools = (
  primaryUrl: string,
  replicaUrl: string | null,
  options: { onReplicaChange?: (state: ReplicaState) => void; now?: () => number } = {},
): DatabasePools => {
  const primary = createPool(primaryUrl);
  if (!replicaUrl) {
    return { pool: primary, primary, replicaState: () => ({ state: 'none', target: null, message: null }), end: () => primary.end() };
  }
  const replica = createPool(replicaUrl);
  const target = redactUrl(replicaUrl);
  const now = options.now ?? Date.now;
  let downUntil = 0;
  let state: ReplicaState = { state: 'up', target, message: null };

  const setState = (next: ReplicaState): void => {
    const changed = next.state !== state.state;
    state = next;
    if (changed) options.onReplicaChange?.(next);
  };
  const markDown = (error: unknown): void => {
    downUntil = now() + REPLICA_RETRY_MS;
    const reason = error instanceof Error ? error.message : String(error);
    setState({ state: 'down', target, message: `The read replica at ${target} cannot be reached (${reason}): read-only screens use the primary until it is back.` });
  };
  const useReplica = (): boolean => readScope.getStore() === true && now() >= downUntil;

  /** Runs on the replica, falling back to the primary once when the replica is unreachable. */
  const routed = async <T>(run: (pool: pg.Pool) => Promise<T>): Promise<T> => {
    if (!useReplica()) return run(primary);
    try {
      const result = await run(replica);
      if (state.state !== 'up') setState({ state: 'up', target, message: null });
      return result;
    } catch (error) {
      // A call declared read-only that writes after all: the standby refused it (nothing was
      // written), so the primary does it. Only for whole-query calls; a checked-out client cannot move.
      if ((error as { code?: unknown } | null)?.code === READ_ONLY_TRANSACTION) return run(primary);
      if (!isUnreachable(error)) throw error;
      markDown(error);
      return run(primary);
    }
  };

  const pool = new Proxy(primary, {
    get(target_, property, receiver) {
      if (property === 'query') {
        return (...args: unknown[]) => {
          // Callback-style calls (none in Sluice) keep the primary rather than losing their callback.
          if (typeof args[args.length - 1] === 'function') return (primary.query as (...a: unknown[]) => unknown)(...args);
          return routed((p) => (p.query as (...a: unknown[]) => Promise<unknown>)(...args));
        };
      }
      if (property === 'connect') {
        return (...args: unknown[]) => {
          if (args.length > 0) return (primary.connect as (...a: unknown[]) => unknown)(...args);
          return routed((p) => p.connect());
        };
      }
      const value: unknown = Reflect.get(target_, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target_) : value;
    },
  });

  return {
    pool,
    primary,
    replicaState: () => state,
    end: async () => {
      await Promise.all([primary.end(), replica.end()]);
    },
  };
};
