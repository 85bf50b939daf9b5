import { z } from 'zod';

import { DeadLetterReason } from '../queue/messages';
import { Stage } from '../worker-protocol/protocol';
import { defineMethod } from './define';

/**
 * Queues and dead letters in the API contract (issue 9): every stage queue with its depth, ready and
 * unacknowledged messages, publish/deliver/ack rates and consumers as RabbitMQ's management API
 * reports them (its numbers are sampled every few seconds), the retry delay tiers, and the
 * dead-letter queue with requeue and discard.
 *
 * Dead letters are listed for the console's tenant: a dead letter whose body names another tenant
 * is never shown or touched; one whose body cannot be read (an invalid message) has no tenant and
 * is shown to every tenant, flagged, so an operator can still discard it.
 */

const Count = z.number().int().min(0);
const Rate = z.number().min(0);

export const QueueRates = z.object({
  /** Messages per second over the broker's last sample window; null when the broker has no sample yet. */
  publish: Rate.nullable(),
  deliver: Rate.nullable(),
  ack: Rate.nullable(),
});
export type QueueRates = z.infer<typeof QueueRates>;

export const QueueRow = z.object({
  name: z.string(),
  kind: z.enum(['stage', 'delay', 'dead']),
  stage: Stage.nullable(),
  /** Delay tiers only: how long a message waits before its next attempt. */
  delayMs: Count.nullable(),
  /** Broker queue type (quorum, classic). */
  type: z.string().nullable(),
  /** `running` etc. as the broker says; `missing` when the queue is not declared (no worker ever started). */
  state: z.string(),
  messages: Count,
  ready: Count,
  unacked: Count,
  consumers: Count,
  rates: QueueRates,
});
export type QueueRow = z.infer<typeof QueueRow>;

export const QueuesStatus = z.object({
  /** The RabbitMQ namespace the console reads (`sluice.v1`, or with a prefix). */
  namespace: z.string(),
  /** One row per stage queue in pipeline order, then the delay tiers, then the dead-letter queue. */
  queues: z.array(QueueRow),
  /** Why the numbers could not be read (management API not configured or unreachable), or null. */
  note: z.string().nullable(),
  checkedAt: z.string(),
});
export type QueuesStatus = z.infer<typeof QueuesStatus>;

/** What a dead letter's body refers to, read from the original stage message (never a payload). */
export const PayloadRef = z.object({
  tenantId: z.number().int().positive().nullable(),
  integrationId: z.number().int().positive().nullable(),
  runId: z.number().int().positive().nullable(),
  step: z.string().nullable(),
  /** The raw unit the message was about (transform, load, vectorize), for the raw data inspector. */
  rawId: z.number().int().positive().nullable(),
  /** Extract messages: the stream, partition and page cursor they were fetching. */
  stream: z.string().nullable(),
  partition: z.string().nullable(),
  cursor: z.string().nullable(),
  /** Vectorize messages: the unified table and how many row ids. */
  entity: z.string().nullable(),
});
export type PayloadRef = z.infer<typeof PayloadRef>;

export const DeadLetterItem = z.object({
  id: z.string(),
  reason: DeadLetterReason,
  stage: Stage.nullable(),
  attempts: Count,
  firstFailureAt: z.string(),
  lastFailureAt: z.string(),
  error: z.object({ name: z.string(), message: z.string() }).nullable(),
  issues: z.array(z.string()),
  /** Null when the body is not a stage message we can read (then it has no tenant either). */
  ref: PayloadRef.nullable(),
  /** The original body, cut to a few hundred characters, for a look (the full message stays in the queue). */
  bodyPreview: z.string(),
  bodyBytes: Count,
});
export type DeadLetterItem = z.infer<typeof DeadLetterItem>;

export const DeadLetterSelection = z.union([z.literal('all'), z.array(z.string().min(1).max(200)).min(1).max(1000)]);

export const DeadLetterActionResult = z.object({
  requeued: Count,
  discarded: Count,
  /** Ids asked for that were no longer in the queue (handled elsewhere meanwhile). */
  notFound: z.array(z.string()),
  /** Ids left alone: their stage is unknown (requeue), or they belong to another tenant. */
  skipped: z.array(z.string()),
  /** One sentence for the operator. */
  message: z.string(),
});
export type DeadLetterActionResult = z.infer<typeof DeadLetterActionResult>;

const confirm = (what: string) => z.literal(true, { error: `${what}: pass confirm: true to go ahead` });

export const queuesMethods = {
  'queues.status': defineMethod({
    summary: 'Every stage queue, delay tier and the dead-letter queue with depth, ready/unacked, rates and consumers (RabbitMQ management API)',
    mutates: false,
    input: z.object({}).strict(),
    output: QueuesStatus,
  }),
  'queues.deadLetters': defineMethod({
    summary: 'Dead letters of the tenant from the head of the dead-letter queue (left in the queue), with reason, attempts and payload reference',
    mutates: false,
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.object({
      /** Ready messages in the dead-letter queue (every tenant). */
      total: Count,
      /** This tenant's dead letters (and unreadable ones) among the scanned ones. */
      items: z.array(DeadLetterItem),
      /** Messages looked at; less than total when the limit cut the scan. */
      scanned: Count,
    }),
  }),
  'queues.requeue': defineMethod({
    summary: 'Send dead letters back to their stage queue with a fresh retry budget (confirmed publish, then removal)',
    mutates: true,
    // Sending dead letters back is reprocessing: the operator's job; discarding them stays admin.
    role: 'operator',
    input: z.object({ ids: DeadLetterSelection, confirm: confirm('requeueing runs these messages again') }).strict(),
    output: DeadLetterActionResult,
  }),
  'queues.discard': defineMethod({
    summary: 'Remove dead letters for good (the raw units stay failed and can be re-run from the run detail)',
    mutates: true,
    input: z.object({ ids: DeadLetterSelection, confirm: confirm('discarding dead letters cannot be undone') }).strict(),
    output: DeadLetterActionResult,
  }),
};
