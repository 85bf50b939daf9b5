import { describe, expect, it } from 'vitest';

import { PermanentError } from '../queue/errors';
import type { IntegrationInfo } from './connector';
import { connectorFor } from './connectors';
import { RateLimitedError } from './rate-limited';
import { synthetic } from './synthetic';

const integration = (settings: Record<string, unknown>): IntegrationInfo => ({ id: 2, tenantId: 1, provider: 'github', baseUrl: 'https://x.invalid', settings });
const request = (settings: Record<string, unknown>, cursor: string | null) => ({
  integration: integration(settings),
  step: 'items',
  stream: 'items',
  partition: null,
  cursor,
  signal: new AbortController().signal,
});
const ctx = { tenantId: 1, integrationId: 2, step: 'items', stream: 'items', partition: null, integration: integration({}) };

describe('synthetic connector', () => {
  it('pages through pages × pageSize records with a null cursor at the end', async () => {
    const settings = { synthetic: { pages: 3, pageSize: 2 } };
    const first = await synthetic.extractPage(request(settings, null));
    expect(first).toMatchObject({ params: { page: 0 }, recordCount: 2, nextCursor: '1' });
    const last = await synthetic.extractPage(request(settings, '2'));
    expect(last).toMatchObject({ nextCursor: null, payload: { records: [{ id: 4 }, { id: 5 }] } });
    // Fetching a page again gives the same payload.
    expect(await synthetic.extractPage(request(settings, '2'))).toEqual(last);
  });

  it('transforms a page into rows of synthetic_items, and refuses the poison page for good', async () => {
    const settings = { synthetic: { pages: 2, pageSize: 2, poisonPage: 1 } };
    const good = await synthetic.extractPage(request(settings, null));
    expect(synthetic.transform(good.payload, ctx)).toEqual({
      tables: { synthetic_items: [{ external_id: '0', value: 'item-0' }, { external_id: '1', value: 'item-1' }] },
    });
    const poison = await synthetic.extractPage(request(settings, '1'));
    expect(() => synthetic.transform(poison.payload, ctx)).toThrow(PermanentError);
    expect(() => synthetic.transform({ page: 'x' }, ctx)).toThrow(/does not match its schema/);
  });

  it('answers rateLimitedPage with a rate limit the first time in an attempt, and normally when fetched again', async () => {
    const settings = { synthetic: { pages: 3, pageSize: 1, rateLimitedPage: 1, rateLimitedForMs: 2_000 } };
    const before = Date.now();
    const error = await synthetic.extractPage(request(settings, '1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).resetAt).toBeGreaterThanOrEqual(before + 2_000);
    expect(await synthetic.extractPage({ ...request(settings, '1'), previousRateLimits: 1 })).toMatchObject({ params: { page: 1 }, recordCount: 1 });
    expect(await synthetic.extractPage(request(settings, '2'))).toMatchObject({ params: { page: 2 }, nextCursor: null });
    // With a fixed reset, every fetch before it is limited (whatever the handler says), none after.
    const until = { synthetic: { pages: 3, pageSize: 1, rateLimitedPage: 1, rateLimitedUntil: Date.now() + 60_000 } };
    await expect(synthetic.extractPage({ ...request(until, '1'), previousRateLimits: 3 })).rejects.toMatchObject({ resetAt: until.synthetic.rateLimitedUntil });
    const past = { synthetic: { ...until.synthetic, rateLimitedUntil: Date.now() - 1 } };
    expect(await synthetic.extractPage(request(past, '1'))).toMatchObject({ params: { page: 1 } });
  });

  it('rejects invalid settings and unknown connectors permanently, naming what to fix', async () => {
    await expect(synthetic.extractPage(request({ synthetic: { pages: 0 } }, null))).rejects.toThrow(/settings\.synthetic is invalid/);
    expect(connectorFor(integration({ connector: 'synthetic' }))).toBe(synthetic);
    expect(connectorFor(integration({})).name).toBe('github'); // by provider
    expect(() => connectorFor({ ...integration({}), provider: 'gitlab' })).toThrow(PermanentError);
    expect(() => connectorFor(integration({ connector: 'toString' }))).toThrow(/needs connector "toString"/);
  });
});
