import { describe, expect, it } from 'vitest';

import { createTopology, DEFAULT_DELAY_TIERS_MS } from './topology';

describe('queue topology', () => {
  it('names everything under a versioned, prefixable namespace', () => {
    const t = createTopology({ prefix: 'it-ab12.' });
    expect(t.namespace).toBe('it-ab12.sluice.v1');
    expect(t.stageQueue('transform')).toBe('it-ab12.sluice.v1.transform');
    expect(t.deadLetterQueue).toBe('it-ab12.sluice.v1.dead-letters');
    expect(t.queues.every((q) => q.name.startsWith('it-ab12.sluice.v1.'))).toBe(true);
    expect(createTopology().namespace).toBe('sluice.v1');
  });

  it('declares quorum stage queues dead-lettering to the DLX, classic TTL delay queues routing back', () => {
    const t = createTopology({ delayTiersMs: [100, 200] });
    const stage = t.queues.find((q) => q.name === t.stageQueue('load'))!;
    expect(stage.arguments).toMatchObject({ 'x-queue-type': 'quorum', 'x-dead-letter-exchange': t.exchanges.dead.name, 'x-delivery-limit': 20 });
    const delay = t.queues.find((q) => q.name === t.delayFor('load', 2).queue)!;
    expect(delay.arguments).toEqual({ 'x-queue-type': 'classic', 'x-message-ttl': 200, 'x-dead-letter-exchange': t.exchanges.stages.name, 'x-dead-letter-routing-key': 'load' });
    expect(delay.binding).toEqual({ exchange: t.exchanges.delay.name, routingKey: 'load.200' });
    expect(t.queues).toHaveLength(4 + 4 * 2 + 1);
  });

  it('picks increasing delay tiers by attempt and stays on the last one', () => {
    const t = createTopology();
    expect([1, 2, 3, 4, 9].map((a) => t.delayFor('extract', a).delayMs)).toEqual([...DEFAULT_DELAY_TIERS_MS, 300_000, 300_000]);
    expect(t.delayFor('extract', 1).queue).toBe('sluice.v1.extract.delay.5000ms');
  });

  it('maps queue names back to stages', () => {
    const t = createTopology();
    expect(t.stageOfQueue('sluice.v1.vectorize')).toBe('vectorize');
    expect(t.stageOfQueue(t.delayFor('load', 1).queue)).toBe('load');
    expect(t.stageOfQueue(t.deadLetterQueue)).toBeNull();
    expect(t.stageOfQueue('other')).toBeNull();
  });

  it('rejects bad options with a clear message', () => {
    expect(() => createTopology({ prefix: 'bad prefix/' })).toThrow(/prefix/);
    expect(() => createTopology({ delayTiersMs: [500, 100] })).toThrow(/increasing/);
    expect(() => createTopology({ delayTiersMs: [] })).toThrow(/non-empty/);
    expect(() => createTopology({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
