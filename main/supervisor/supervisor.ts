import type { PoolHealth } from '../../shared/worker-protocol/health';
import type { ProgressEvent } from '../../shared/worker-protocol/progress';
import { Stage, WORKER_PROTOCOL_VERSION, type HandlerOptions, type TopologySettings, type WorkerSettingsInput } from '../../shared/worker-protocol/protocol';
import type { VectorSettings } from '../../shared/vectors/settings';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './backoff';
import type { WorkerEntry } from './entries';
import { describePools } from './health';
import { silentSupervisorLogger, type SupervisorLogger } from './logger';
import { StagePool } from './pool';
import { DEFAULT_THREAD_TIMING, WorkerThread, type ThreadTiming } from './thread';

/**
 * The engine-side supervisor: one pool of worker threads per stage, `created → active → stopping →
 * stopped` like pg-boss's worker. It holds no RabbitMQ, Postgres or Redis connection itself: it starts
 * threads from entry paths, hands them their settings, restarts crashed ones with backoff, and reports
 * pool health. `sluice worker` runs the same class headless on other hosts.
 */
export type SupervisorState = 'created' | 'active' | 'stopping' | 'stopped';

/** What every thread gets (the stage and handler are filled in per pool). */
export interface SupervisorSettings {
  readonly hostId: string;
  readonly rabbitmqUrl: string;
  readonly databaseUrl?: string | null;
  readonly redisUrl?: string | null;
  readonly topology?: TopologySettings;
  /** Unacked messages per thread. */
  readonly prefetch?: number;
  /** Handler name per stage (workers/stages/registry.ts); `noop` where unset, until real handlers land. */
  readonly handlers?: Partial<Record<Stage, string>>;
  readonly handlerOptions?: HandlerOptions;
  readonly statsIntervalMs?: number;
  readonly connectTimeoutMs?: number;
  /** Local SQLite raw cache that extract threads write pages to (`<home>/cache/raw-cache.sqlite`). */
  readonly rawCachePath?: string | null;
  readonly rawCacheBudgetBytes?: number;
  /** Keys that open sealed integration tokens (base64), for the extract threads. */
  readonly secretKeys?: readonly { readonly id: string; readonly key: string }[];
  /**
   * Rate-limit buckets in shared memory, for one host without Redis: create it once
   * (`createSharedBudgets()` semantics: a SharedArrayBuffer) so every extract thread shares one budget.
   */
  readonly sharedBudgets?: SharedArrayBuffer;
  /**
   * Qdrant and the embedder (with their keys): vectorize threads get them whole, load threads only learn
   * that vectors are on (so they publish vectorize jobs). Null/absent: vectors are off on this host.
   */
  readonly vectors?: VectorSettings | null;
}

export interface SupervisorTiming extends ThreadTiming {
  readonly restart: RestartPolicy;
  /** Grace for threads drained by a scale-down or a pool restart. */
  readonly drainGraceMs: number;
}

export interface SupervisorOptions {
  readonly entries: (stage: Stage) => WorkerEntry;
  readonly settings: SupervisorSettings;
  readonly counts: Partial<Record<Stage, number>>;
  readonly logger?: SupervisorLogger;
  readonly timing?: Partial<Omit<SupervisorTiming, 'restart'>> & { readonly restart?: Partial<RestartPolicy> };
  /** Live progress signals the threads post when they have no Redis (the engine turns them into `runs.progress`). */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** Threads per stage on one host; more is almost certainly a typo (each thread holds a connection). */
export const MAX_THREADS_PER_STAGE = 64;

const checkCount = (stage: Stage, n: number): number => {
  if (!Number.isInteger(n) || n < 0 || n > MAX_THREADS_PER_STAGE) {
    throw new Error(`The ${stage} pool size must be an integer from 0 to ${MAX_THREADS_PER_STAGE}, got ${n}.`);
  }
  return n;
};

export class Supervisor {
  private lifecycle: SupervisorState = 'created';
  private readonly byStage = new Map<Stage, StagePool>();
  private readonly timing: SupervisorTiming;
  private readonly logger: SupervisorLogger;
  private readonly counts: Partial<Record<Stage, number>>;

  constructor(private readonly options: SupervisorOptions) {
    this.logger = options.logger ?? silentSupervisorLogger;
    this.timing = { ...DEFAULT_THREAD_TIMING, drainGraceMs: 30_000, ...options.timing, restart: { ...DEFAULT_RESTART_POLICY, ...options.timing?.restart } };
    this.counts = {};
    for (const stage of Stage.options) {
      const n = options.counts[stage];
      if (n !== undefined) this.counts[stage] = checkCount(stage, n);
    }
  }

  get state(): SupervisorState {
    return this.lifecycle;
  }

  /** Starts every configured pool; threads come up in the background (see `waitUntilReady`). */
  start(): void {
    if (this.lifecycle !== 'created') throw new Error(`The supervisor was already started (state ${this.lifecycle}); create a new one.`);
    this.lifecycle = 'active';
    for (const stage of Stage.options) {
      const n = this.counts[stage];
      if (n !== undefined) this.pool(stage).scale(n);
    }
    this.logger.info({ counts: this.counts, hostId: this.options.settings.hostId }, 'worker pools starting');
  }

  /** Resolves once every pool has all its desired threads consuming; rejects after `timeoutMs` with the pools' state. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Worker pools were not ready within ${timeoutMs} ms: ${describePools(this.pools())}.`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([...this.byStage.values()].map((p) => p.whenReady())), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Health of every pool that was configured or scaled, in stage order. */
  pools(): PoolHealth[] {
    return Stage.options.flatMap((s) => this.byStage.get(s)?.health() ?? []);
  }

  /** Sets a stage's thread count; extra threads drain their in-flight messages before they exit. */
  scale(stage: Stage, n: number): void {
    this.requireActive('scale');
    this.pool(stage).scale(checkCount(stage, n));
    this.logger.info({ stage, threads: n }, 'pool scaled');
  }

  /** Replaces every thread of a stage with fresh ones (new threads start before old ones drain). */
  async restartPool(stage: Stage): Promise<void> {
    this.requireActive('restartPool');
    const pool = this.byStage.get(stage);
    if (!pool) throw new Error(`There is no ${stage} pool to restart; scale it up first.`);
    this.logger.info({ stage }, 'pool restarting');
    await pool.restart(this.timing.drainGraceMs);
  }

  /** Drains every pool within `graceMs` (unfinished messages go back to the queue), then resolves. */
  async stop(graceMs = this.timing.drainGraceMs): Promise<void> {
    if (this.lifecycle === 'stopped' || this.lifecycle === 'stopping') return;
    this.lifecycle = 'stopping';
    this.logger.info({ graceMs }, 'worker pools draining');
    await Promise.all([...this.byStage.values()].map((p) => p.stop(graceMs)));
    this.lifecycle = 'stopped';
    this.logger.info({ pools: this.pools() }, 'worker pools stopped');
  }

  private requireActive(what: string): void {
    if (this.lifecycle !== 'active') throw new Error(`Cannot ${what}: the supervisor is ${this.lifecycle}.`);
  }

  private pool(stage: Stage): StagePool {
    let pool = this.byStage.get(stage);
    if (!pool) {
      pool = new StagePool(stage, {
        createThread: (s, events) =>
          new WorkerThread(s, this.options.entries(s), this.threadSettings(s), this.timing, { ...events, ...(this.options.onProgress ? { onProgress: this.options.onProgress } : {}) }),
        restartPolicy: this.timing.restart,
        drainGraceMs: this.timing.drainGraceMs,
        logger: this.logger,
      });
      this.byStage.set(stage, pool);
    }
    return pool;
  }

  private threadSettings(stage: Stage): WorkerSettingsInput {
    const s = this.options.settings;
    return {
      protocol: WORKER_PROTOCOL_VERSION,
      stage,
      hostId: s.hostId,
      handler: s.handlers?.[stage] ?? 'noop',
      handlerOptions: s.handlerOptions ?? {},
      rabbitmqUrl: s.rabbitmqUrl,
      databaseUrl: s.databaseUrl ?? null,
      redisUrl: s.redisUrl ?? null,
      topology: s.topology ?? { prefix: '' },
      ...(s.prefetch !== undefined ? { prefetch: s.prefetch } : {}),
      ...(s.statsIntervalMs !== undefined ? { statsIntervalMs: s.statsIntervalMs } : {}),
      ...(s.connectTimeoutMs !== undefined ? { connectTimeoutMs: s.connectTimeoutMs } : {}),
      rawCachePath: s.rawCachePath ?? null,
      ...(s.rawCacheBudgetBytes !== undefined ? { rawCacheBudgetBytes: s.rawCacheBudgetBytes } : {}),
      ...(s.sharedBudgets ? { sharedBudgets: s.sharedBudgets } : {}),
      // Only extract calls the APIs: the other stages never hold the keys.
      ...(stage === 'extract' && s.secretKeys ? { secretKeys: [...s.secretKeys] } : {}),
      vectorsEnabled: !!s.vectors,
      // Only vectorize talks to Qdrant and the embeddings API.
      ...(stage === 'vectorize' && s.vectors ? { vectors: s.vectors } : {}),
    };
  }
}
