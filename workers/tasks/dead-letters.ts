import type { DeadLetterItem, PayloadRef } from '../../shared/contract/queues';
import type { DeadLetterEnvelope } from '../../shared/queue/messages';
import { createTopology } from '../../shared/queue/topology';
import type { TaskOutput, TaskParsedInput } from '../../shared/worker-protocol/tasks';
import { QueueConnection } from '../queue/connection';
import { DeadLetters } from '../queue/dead-letters';
import { Publisher } from '../queue/publisher';

/**
 * `deadLetters.list` and `deadLetters.act`: the console's dead-letter screen through the queue
 * runtime's own `DeadLetters` (a scan that can never drop a message; requeue = confirmed publish,
 * then ack). The dead-letter queue is shared by every tenant, so each letter's tenant is read from
 * its original body: another tenant's letters are neither listed nor touched; letters whose body has
 * no readable tenant (invalid messages) are listed to everyone, flagged by a null `ref`.
 */

const PREVIEW_CHARS = 400;
/** A scan never looks at more than this many letters (the runtime's own bound is 10,000). */
const SCAN_ALL = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;

const posInt = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * What the original message refers to, read leniently: an invalid message (one field wrong) still
 * says whose and which unit it was. Null when the body is not a JSON object with a tenant.
 */
export const payloadRefOf = (env: DeadLetterEnvelope): PayloadRef | null => {
  if (env.original.bodyEncoding !== 'utf8') return null;
  let body: unknown;
  try {
    body = JSON.parse(env.original.body);
  } catch {
    return null;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  const tenantId = posInt(b['tenantId']);
  if (tenantId === null) return null;
  return {
    tenantId,
    integrationId: posInt(b['integrationId']),
    runId: posInt(b['runId']),
    step: str(b['stepKey']),
    rawId: posInt(b['rawId']),
    stream: str(b['stream']),
    partition: str(b['partition']),
    cursor: str(b['cursor']),
    entity: str(b['entity']),
  };
};

export const toDeadLetterItem = (env: DeadLetterEnvelope): DeadLetterItem => {
  const bytes = Buffer.byteLength(env.original.body, env.original.bodyEncoding === 'utf8' ? 'utf8' : 'base64');
  const preview = env.original.bodyEncoding === 'utf8' ? env.original.body : `(binary, base64) ${env.original.body}`;
  return {
    id: env.id,
    reason: env.reason,
    stage: env.stage,
    attempts: env.attempts,
    firstFailureAt: env.firstFailureAt,
    lastFailureAt: env.lastFailureAt,
    error: env.error,
    issues: env.issues,
    ref: payloadRefOf(env),
    bodyPreview: preview.length > PREVIEW_CHARS ? `${preview.slice(0, PREVIEW_CHARS)}…` : preview,
    bodyBytes: bytes,
  };
};

/** Visible to `tenantId`: its own letters, and letters that name no tenant. */
const visibleTo = (tenantId: number) => (item: DeadLetterItem): boolean => item.ref === null || item.ref.tenantId === tenantId;

const withDeadLetters = async <T>(input: { rabbitmqUrl: string; topology: TaskParsedInput<'deadLetters.list'>['topology'] }, fn: (dead: DeadLetters) => Promise<T>): Promise<T> => {
  const connection = new QueueConnection({ url: input.rabbitmqUrl, topology: createTopology(input.topology), name: `sluice-task dead-letters ${process.pid}`, backoff: { initialMs: 100, maxMs: 1_000 } });
  const publisher = new Publisher(connection, { connectTimeoutMs: CONNECT_TIMEOUT_MS, confirmTimeoutMs: CONNECT_TIMEOUT_MS });
  void connection.start().catch(() => undefined);
  try {
    await connection.whenConnected(CONNECT_TIMEOUT_MS);
    return await fn(new DeadLetters(connection, publisher));
  } finally {
    await publisher.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
};

export const listDeadLetters = (input: TaskParsedInput<'deadLetters.list'>): Promise<TaskOutput<'deadLetters.list'>> =>
  withDeadLetters(input, async (dead) => {
    // Other tenants' letters are in the same queue: scan further than `limit` to fill this tenant's page.
    const scan = await dead.list({ limit: Math.min(SCAN_ALL, Math.max(input.limit * 5, 1000)) });
    const items = scan.items.map(toDeadLetterItem).filter(visibleTo(input.tenantId));
    return { total: scan.total, scanned: scan.items.length, items: items.slice(0, input.limit) };
  });

export const actOnDeadLetters = (input: TaskParsedInput<'deadLetters.act'>): Promise<TaskOutput<'deadLetters.act'>> =>
  withDeadLetters(input, async (dead) => {
    const scan = (await dead.list({ limit: SCAN_ALL })).items.map(toDeadLetterItem);
    const mine = new Set(scan.filter(visibleTo(input.tenantId)).map((i) => i.id));
    const present = new Set(scan.map((i) => i.id));
    const asked = input.ids === 'all' ? [...mine] : input.ids;
    const allowed = asked.filter((id) => mine.has(id));
    const otherTenant = asked.filter((id) => present.has(id) && !mine.has(id));
    const missing = asked.filter((id) => !present.has(id));
    if (allowed.length === 0) return { requeued: 0, discarded: 0, notFound: missing, skipped: otherTenant };
    const result = input.action === 'requeue' ? await dead.requeue(allowed) : await dead.discard(allowed);
    return { requeued: result.requeued, discarded: result.discarded, notFound: [...missing, ...result.notFound], skipped: [...otherTenant, ...result.skipped] };
  });
