import { createHash, randomUUID } from 'node:crypto';

import type { Message } from 'amqplib';

import { DeadLetterEnvelope, HEADER, MESSAGE_VERSION, type DeadLetterReason } from '../../shared/queue/messages';
import type { Stage, Topology } from '../../shared/queue/topology';

/** Builds and reads dead-letter envelopes (see `DeadLetterEnvelope` in shared/queue/messages.ts). */

export interface DeadLetterInput {
  readonly reason: DeadLetterReason;
  readonly stage: Stage | null;
  readonly attempts: number;
  readonly error: Error | null;
  readonly issues?: readonly string[];
  readonly now?: Date;
}

const MAX_ERROR = 4000;

/** Wraps the delivered message (body kept as is) into an envelope for the dead-letter queue. */
export const buildDeadLetter = (msg: Message, input: DeadLetterInput): DeadLetterEnvelope => {
  const now = (input.now ?? new Date()).toISOString();
  const headers = { ...(msg.properties.headers ?? {}) } as Record<string, unknown>;
  const first = typeof headers[HEADER.firstFailureAt] === 'string' ? (headers[HEADER.firstFailureAt] as string) : now;
  return {
    v: MESSAGE_VERSION,
    kind: 'dead_letter',
    id: randomUUID(),
    reason: input.reason,
    stage: input.stage,
    attempts: input.attempts,
    firstFailureAt: first,
    lastFailureAt: now,
    error: input.error ? { name: input.error.name.slice(0, 200), message: input.error.message.slice(0, MAX_ERROR) } : null,
    issues: (input.issues ?? []).slice(0, 50).map((i) => i.slice(0, 500)),
    original: {
      messageId: typeof msg.properties.messageId === 'string' ? msg.properties.messageId : null,
      routingKey: msg.fields.routingKey,
      headers: toJsonSafe(headers),
      ...encodeBody(msg.content),
    },
  };
};

/**
 * Reads a message from the dead-letter queue. Envelopes we wrote parse as they are; a message the
 * broker dead-lettered itself (x-delivery-limit on a stage queue) is the raw original with `x-death`
 * headers, and is described from those so the console shows both kinds the same way.
 */
export const readDeadLetter = (msg: Message, topology: Topology): DeadLetterEnvelope => {
  const own = tryParse(msg.content);
  if (own !== undefined) {
    const parsed = DeadLetterEnvelope.safeParse(own);
    if (parsed.success) return parsed.data;
  }
  const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
  const deaths = Array.isArray(headers['x-death']) ? (headers['x-death'] as Record<string, unknown>[]) : [];
  const firstDeathQueue = typeof headers['x-first-death-queue'] === 'string' ? headers['x-first-death-queue'] : String(deaths[0]?.queue ?? '');
  const firstReason = String(headers['x-first-death-reason'] ?? deaths[0]?.reason ?? '');
  const time = deaths[0]?.time;
  const at = deathTime(time) ?? new Date().toISOString();
  const body = tryParse(msg.content) as { attempt?: unknown } | undefined;
  const messageId = typeof msg.properties.messageId === 'string' ? msg.properties.messageId : null;
  return {
    v: MESSAGE_VERSION,
    kind: 'dead_letter',
    // Stable across listings, so requeue/discard by id works for these too.
    id: messageId ?? `sha256:${createHash('sha256').update(msg.content).digest('hex').slice(0, 32)}`,
    reason: firstReason === 'delivery_limit' ? 'delivery_limit' : 'broker',
    stage: topology.stageOfQueue(firstDeathQueue),
    attempts: typeof body?.attempt === 'number' ? body.attempt : 0,
    firstFailureAt: typeof headers[HEADER.firstFailureAt] === 'string' ? (headers[HEADER.firstFailureAt] as string) : at,
    lastFailureAt: at,
    error: { name: 'BrokerDeadLetter', message: `RabbitMQ dead-lettered it from ${firstDeathQueue || 'an unknown queue'} (${firstReason || 'no reason given'}).` },
    issues: [],
    original: {
      messageId,
      routingKey: Array.isArray(deaths[0]?.['routing-keys']) ? String((deaths[0]['routing-keys'] as unknown[])[0]) : msg.fields.routingKey,
      headers: toJsonSafe(headers),
      ...encodeBody(msg.content),
    },
  };
};

/** The original body as bytes again. */
export const originalBody = (env: DeadLetterEnvelope): Buffer => Buffer.from(env.original.body, env.original.bodyEncoding);

const encodeBody = (content: Buffer): { body: string; bodyEncoding: 'utf8' | 'base64' } => {
  const text = content.toString('utf8');
  // Round-trips only if it was valid UTF-8; otherwise keep it exact as base64.
  return Buffer.from(text, 'utf8').equals(content) ? { body: text, bodyEncoding: 'utf8' } : { body: content.toString('base64'), bodyEncoding: 'base64' };
};

const tryParse = (content: Buffer): unknown => {
  try {
    return JSON.parse(content.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
};

/** amqplib gives AMQP timestamps as numbers (seconds) or `{ '!': 'timestamp', value }`. */
const deathTime = (time: unknown): string | null => {
  const seconds = typeof time === 'number' ? time : typeof time === 'object' && time && 'value' in time ? Number((time as { value: unknown }).value) : NaN;
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : null;
};

/** Headers can hold Buffers, Dates and bigints; the envelope keeps a JSON-safe copy. */
const toJsonSafe = (headers: Record<string, unknown>): Record<string, unknown> => {
  const result = JSON.parse(
    JSON.stringify(headers, (_k, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer') return Buffer.from((v as { data: number[] }).data).toString('utf8');
      return v;
    }),
  ) as Record<string, unknown>;
  return result;
};
