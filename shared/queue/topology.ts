import { Stage } from '../worker-protocol/protocol';

/**
 * The RabbitMQ topology of the pipeline, as data. `workers/queue/connection.ts` declares it on every
 * (re)connect; the console and the dead-letter tools read names from here. Nothing else may spell a
 * queue or exchange name.
 *
 * Layout (names shown for namespace `sluice.v1`):
 *
 * ```
 *  publish ──► sluice.v1.stages (direct, key = stage) ──► sluice.v1.<stage>            quorum
 *                      ▲                                        │ handler failed (attempt n)
 *                      │ TTL expiry dead-letters back           ▼ republish, then ack
 *                      └──────── sluice.v1.<stage>.delay.<ms>  ◄── sluice.v1.delay (direct, key = <stage>.<ms>)
 *                                 classic, x-message-ttl = ms
 *  invalid / permanent / budget spent / broker delivery-limit
 *                      ──► sluice.v1.dead (fanout) ──► sluice.v1.dead-letters          quorum
 * ```
 *
 * Why these choices:
 * - Stage queues are **quorum** queues: replicated, and faster than classic v1 on this RabbitMQ 3.10
 *   (machine-notes section 8). `x-delivery-limit` is a safety net for a message that crashes the
 *   process before our code can retry it (a poison message never acked): after that many deliveries
 *   the broker dead-letters it itself (`at-least-once` dead-lettering, which needs `reject-publish`).
 * - Delay tiers are **classic** queues with a **queue-level** `x-message-ttl`: every message in a
 *   tier has the same TTL, so they expire in FIFO order from the head (per-message TTL would stall
 *   behind a longer-lived head, and quorum queues do not support TTL on 3.10). Nobody consumes them;
 *   on expiry the broker dead-letters the message to the stages exchange with the stage routing key.
 * - A tier's TTL is part of its queue name, because queue arguments cannot change after declaration:
 *   changing the tiers creates new queues instead of a PRECONDITION_FAILED at startup. The same holds
 *   for the whole layout: an incompatible change bumps `TOPOLOGY_VERSION` (new namespace).
 * - One dead-letter queue (quorum) for all stages: the envelope says which stage (messages.ts).
 */
export const TOPOLOGY_VERSION = 1;

export const STAGES = Stage.options;
export type { Stage };

/** Backoff between attempts: attempt n that fails waits in tier min(n, tiers) before attempt n+1. */
export const DEFAULT_DELAY_TIERS_MS = [5_000, 30_000, 300_000] as const;
/** Attempts per message including the first (1 + one per delay tier), then it is dead-lettered. */
export const DEFAULT_MAX_ATTEMPTS = 4;
/** Broker-side deliveries of one message before the broker dead-letters it (crash-loop guard). */
export const DEFAULT_DELIVERY_LIMIT = 20;

export interface TopologyOptions {
  /**
   * Prepended to every name, e.g. `it-3f9a.` so integration tests get isolated queues on one broker.
   * Letters, digits, `.`, `-`, `_` only.
   */
  readonly prefix?: string;
  /** Retry delays in ms, increasing. Tests use short ones (e.g. [200, 400]). */
  readonly delayTiersMs?: readonly number[];
  readonly maxAttempts?: number;
  readonly deliveryLimit?: number;
}

export interface QueueSpec {
  readonly name: string;
  readonly kind: 'stage' | 'delay' | 'dead';
  readonly stage: Stage | null;
  /** `x-*` arguments exactly as declared (a mismatch with an existing queue is fatal, see above). */
  readonly arguments: Readonly<Record<string, string | number>>;
  /** Bindings: exchange name → routing key. */
  readonly binding: { readonly exchange: string; readonly routingKey: string };
}

export interface ExchangeSpec {
  readonly name: string;
  readonly type: 'direct' | 'fanout';
}

export interface Topology {
  readonly version: number;
  /** `<prefix>sluice.v<version>` */
  readonly namespace: string;
  readonly exchanges: { readonly stages: ExchangeSpec; readonly delay: ExchangeSpec; readonly dead: ExchangeSpec };
  readonly delayTiersMs: readonly number[];
  readonly maxAttempts: number;
  readonly deliveryLimit: number;
  stageQueue(stage: Stage): string;
  /** The delay queue for retry after failed attempt `attempt` (1-based), and its routing key. */
  delayFor(stage: Stage, attempt: number): { queue: string; routingKey: string; delayMs: number };
  readonly deadLetterQueue: string;
  /** Every queue to declare, stage queues first. */
  readonly queues: readonly QueueSpec[];
  /** The stage whose queue (stage or delay) has this name, or null. */
  stageOfQueue(queue: string): Stage | null;
}

const PREFIX_RE = /^[A-Za-z0-9._-]{0,80}$/;

/** Builds the names and arguments for one namespace. Pure: it declares nothing. */
export const createTopology = (options: TopologyOptions = {}): Topology => {
  const prefix = options.prefix ?? '';
  if (!PREFIX_RE.test(prefix)) throw new Error(`Queue prefix "${prefix}" is invalid: use up to 80 letters, digits, dots, dashes or underscores.`);
  const delayTiersMs = [...(options.delayTiersMs ?? DEFAULT_DELAY_TIERS_MS)];
  if (delayTiersMs.length === 0 || delayTiersMs.some((ms, i) => !Number.isInteger(ms) || ms <= 0 || (i > 0 && ms <= delayTiersMs[i - 1]!))) {
    throw new Error('Delay tiers must be a non-empty list of increasing positive integers (milliseconds).');
  }
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const deliveryLimit = options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('maxAttempts must be an integer of at least 1.');
  if (!Number.isInteger(deliveryLimit) || deliveryLimit < 1) throw new Error('deliveryLimit must be an integer of at least 1.');

  const namespace = `${prefix}sluice.v${TOPOLOGY_VERSION}`;
  const exchanges = {
    stages: { name: `${namespace}.stages`, type: 'direct' },
    delay: { name: `${namespace}.delay`, type: 'direct' },
    dead: { name: `${namespace}.dead`, type: 'fanout' },
  } as const satisfies Topology['exchanges'];
  const stageQueue = (stage: Stage): string => `${namespace}.${stage}`;
  const delayQueue = (stage: Stage, ms: number): string => `${namespace}.${stage}.delay.${ms}ms`;
  const deadLetterQueue = `${namespace}.dead-letters`;

  const queues: QueueSpec[] = [];
  for (const stage of STAGES) {
    queues.push({
      name: stageQueue(stage),
      kind: 'stage',
      stage,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': exchanges.dead.name,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-delivery-limit': deliveryLimit,
      },
      binding: { exchange: exchanges.stages.name, routingKey: stage },
    });
  }
  for (const stage of STAGES) {
    for (const ms of delayTiersMs) {
      queues.push({
        name: delayQueue(stage, ms),
        kind: 'delay',
        stage,
        arguments: {
          'x-queue-type': 'classic',
          'x-message-ttl': ms,
          'x-dead-letter-exchange': exchanges.stages.name,
          'x-dead-letter-routing-key': stage,
        },
        binding: { exchange: exchanges.delay.name, routingKey: `${stage}.${ms}` },
      });
    }
  }
  queues.push({
    name: deadLetterQueue,
    kind: 'dead',
    stage: null,
    arguments: { 'x-queue-type': 'quorum' },
    binding: { exchange: exchanges.dead.name, routingKey: '' },
  });

  const byName = new Map(queues.map((q) => [q.name, q.stage]));
  return {
    version: TOPOLOGY_VERSION,
    namespace,
    exchanges,
    delayTiersMs,
    maxAttempts,
    deliveryLimit,
    stageQueue,
    delayFor: (stage, attempt) => {
      const delayMs = delayTiersMs[Math.min(Math.max(attempt, 1), delayTiersMs.length) - 1]!;
      return { queue: delayQueue(stage, delayMs), routingKey: `${stage}.${delayMs}`, delayMs };
    },
    deadLetterQueue,
    queues,
    stageOfQueue: (queue) => byName.get(queue) ?? null,
  };
};
