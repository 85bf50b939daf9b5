import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queueHandlers } from '../../main/engine/handlers/queues';
import { createManagementClient } from '../../main/engine/queues/management';
import { createTaskRunner } from '../../main/engine/tasks';
import type { CallContext } from '../../main/engine/types';
import { DeadLetterEnvelope, MESSAGE_VERSION } from '../../shared/queue/messages';
import { createQueueHarness, transformMessage, waitFor, type QueueHarness } from './queue-harness';
import { requireEnv } from './support/env';
import { testTaskEntry } from './support/entries';

/**
 * The queues API against the real broker: depths from the management API through the engine's own
 * client, and dead letters listed, requeued and discarded through the `deadLetters.*` worker tasks,
 * per tenant — a tenant never sees or touches another tenant's letters; a letter with no readable
 * tenant is shown to every tenant.
 */
describe('queues API: status and dead letters', () => {
  let q: QueueHarness;
  let handlers: ReturnType<typeof queueHandlers>;
  const ctx = (tenantId: number): CallContext => ({ transport: 'test', tenantId, principal: 'test' });
  const ids = { a: randomUUID(), b: randomUUID(), garbage: randomUUID() };

  const envelope = (id: string, body: string, stage: 'transform' | null): DeadLetterEnvelope =>
    DeadLetterEnvelope.parse({
      v: MESSAGE_VERSION,
      kind: 'dead_letter',
      id,
      reason: stage ? 'permanent_error' : 'invalid_message',
      stage,
      attempts: stage ? 2 : 0,
      firstFailureAt: new Date().toISOString(),
      lastFailureAt: new Date().toISOString(),
      error: { name: 'PermanentError', message: 'page 7 does not match the contract' },
      issues: [],
      original: { messageId: id, routingKey: 'transform', headers: {}, body, bodyEncoding: 'utf8' },
    });

  beforeAll(async () => {
    q = createQueueHarness('dlq');
    const connection = await q.connect();
    const publisher = q.publisher(connection);
    const letters = [
      envelope(ids.a, JSON.stringify(transformMessage(41, { tenantId: 1, runId: 9 })), 'transform'),
      envelope(ids.b, JSON.stringify(transformMessage(42, { tenantId: 2, runId: 10 })), 'transform'),
      envelope(ids.garbage, 'not json at all', null),
    ];
    for (const l of letters) await publisher.publishRaw(q.topology.exchanges.dead.name, '', Buffer.from(JSON.stringify(l)), { messageId: l.id });
    await waitFor('three dead letters', async () => (await q.ready(q.topology.deadLetterQueue)) === 3);
    handlers = queueHandlers({
      rabbitmqUrl: requireEnv('RABBITMQ_URL'),
      managementUrl: requireEnv('RABBITMQ_MANAGEMENT_URL'),
      topology: { prefix: q.topology.namespace.replace(/sluice\.v\d+$/, '') },
      tasks: createTaskRunner(testTaskEntry()),
    });
  }, 60_000);

  afterAll(async () => {
    await q?.cleanup();
  });

  it('reads every queue of the namespace with depth and consumers', async () => {
    let status = await handlers['queues.status']({}, ctx(1));
    await waitFor('the management API to sample the dead letters', async () => {
      status = await handlers['queues.status']({}, ctx(1));
      return status.queues.find((r) => r.kind === 'dead')?.messages === 3;
    }, 30_000);
    expect(status.note).toBeNull();
    expect(status.namespace).toBe(q.topology.namespace);
    expect(status.queues.map((r) => r.name)).toEqual(q.topology.queues.map((s) => s.name));
    expect(status.queues.filter((r) => r.kind === 'stage').map((r) => [r.stage, r.type, r.consumers])).toEqual([
      ['extract', 'quorum', 0],
      ['transform', 'quorum', 0],
      ['load', 'quorum', 0],
      ['vectorize', 'quorum', 0],
    ]);
    const delay = status.queues.filter((r) => r.kind === 'delay');
    expect(delay.map((r) => r.delayMs)).toEqual(q.topology.queues.filter((s) => s.kind === 'delay').map((s) => Number(/(\d+)ms$/.exec(s.name)![1])));
  }, 40_000);

  it('says what to do when the management API is unreachable or not configured', async () => {
    const off = queueHandlers({ rabbitmqUrl: null, managementUrl: null, topology: { prefix: 'x.' }, tasks: createTaskRunner(testTaskEntry()) });
    expect((await off['queues.status']({}, ctx(1))).note).toMatch(/RABBITMQ_MANAGEMENT_URL/);
    const wrong = queueHandlers({ rabbitmqUrl: null, managementUrl: null, topology: { prefix: 'x.' }, tasks: createTaskRunner(testTaskEntry()), management: createManagementClient('http://u:p@127.0.0.1:9', { timeoutMs: 1000 }) });
    expect((await wrong['queues.status']({}, ctx(1))).note).toMatch(/unreachable .*check RABBITMQ_MANAGEMENT_URL/);
    await expect(off['queues.deadLetters']({ limit: 10 }, ctx(1))).rejects.toThrow(/RABBITMQ_URL/);
  });

  it('lists a tenant its own dead letters and the unreadable one, with the payload reference', async () => {
    const listed = await handlers['queues.deadLetters']({ limit: 200 }, ctx(1));
    expect(listed.total).toBe(3);
    expect(listed.items.map((i) => i.id).sort()).toEqual([ids.a, ids.garbage].sort());
    const mine = listed.items.find((i) => i.id === ids.a)!;
    expect(mine).toMatchObject({ reason: 'permanent_error', stage: 'transform', attempts: 2, ref: { tenantId: 1, runId: 9, rawId: 41, step: expect.any(String) } });
    expect(listed.items.find((i) => i.id === ids.garbage)).toMatchObject({ ref: null, bodyPreview: 'not json at all' });
    // Listing leaves them all in the queue.
    await waitFor('the scan to return the letters', async () => (await q.ready(q.topology.deadLetterQueue)) === 3);
  }, 40_000);

  it("requeues only the caller's letters and leaves another tenant's alone", async () => {
    const refused = await handlers['queues.requeue']({ ids: [ids.b], confirm: true }, ctx(1));
    expect(refused).toMatchObject({ requeued: 0, skipped: [ids.b] });
    expect(refused.message).toContain("another tenant's");
    const done = await handlers['queues.requeue']({ ids: [ids.a], confirm: true }, ctx(1));
    expect(done).toMatchObject({ requeued: 1, discarded: 0, notFound: [], skipped: [] });
    expect(done.message).toBe('1 dead letter requeued to its stage with a fresh retry budget.');
    await waitFor('the requeued message on the transform queue', async () => (await q.ready(q.topology.stageQueue('transform'))) === 1);
    await waitFor('two letters left', async () => (await q.ready(q.topology.deadLetterQueue)) === 2);
    const again = await handlers['queues.requeue']({ ids: [ids.a], confirm: true }, ctx(1));
    expect(again).toMatchObject({ requeued: 0, notFound: [ids.a] });
  }, 60_000);

  it('discards for good, per tenant', async () => {
    const b = await handlers['queues.discard']({ ids: 'all', confirm: true }, ctx(2));
    // Tenant 2 sees its own letter and the unreadable one, so "all" is those two.
    expect(b).toMatchObject({ discarded: 2, requeued: 0 });
    await waitFor('an empty dead-letter queue', async () => (await q.ready(q.topology.deadLetterQueue)) === 0);
    expect((await handlers['queues.deadLetters']({ limit: 10 }, ctx(1))).items).toEqual([]);
  }, 60_000);
});
