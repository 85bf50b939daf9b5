import { describe, expect, it } from 'vitest';

import { CLIENT_HEADER, HTTP_CALL_PREFIX, TENANT_HEADER } from '../../../shared/contract/wire';

import { callOverHttp, type FetchInit, type FetchLike } from './http-call';

function fakeFetch(status: number, body: string) {
  const requests: { url: string; init: FetchInit }[] = [];
  const fetch: FetchLike = (url, init) => {
    requests.push({ url, init });
    return Promise.resolve({ status, text: () => Promise.resolve(body) });
  };
  return { fetch, requests };
}

describe('callOverHttp', () => {
  it('posts JSON to the call URL with the client and tenant headers and the session cookie', async () => {
    const { fetch, requests } = fakeFetch(200, JSON.stringify({ ok: true, result: { tenants: [] } }));
    const result = await callOverHttp(fetch, 'tenants.list', { includeInactive: false }, { tenantId: 3 });

    expect(result).toEqual({ ok: true, result: { tenants: [] } });
    expect(requests).toEqual([
      {
        url: `${HTTP_CALL_PREFIX}tenants.list`,
        init: {
          method: 'POST',
          body: '{"includeInactive":false}',
          headers: { 'content-type': 'application/json', [CLIENT_HEADER]: '1', [TENANT_HEADER]: '3' },
          credentials: 'same-origin',
        },
      },
    ]);
  });

  it('omits the tenant header when no tenant is selected', async () => {
    const { fetch, requests } = fakeFetch(200, JSON.stringify({ ok: true, result: {} }));
    await callOverHttp(fetch, 'system.health', {}, { tenantId: null });
    expect(Object.keys(requests[0]?.init.headers ?? {})).not.toContain(TENANT_HEADER);
  });

  it('passes an error body through unchanged', async () => {
    const error = { code: 'conflict', message: 'The job is already running; wait for it or cancel it.' };
    const { fetch } = fakeFetch(409, JSON.stringify({ ok: false, error }));
    expect(await callOverHttp(fetch, 'system.health', {}, { tenantId: null })).toEqual({ ok: false, error });
  });

  it('turns a 401 without a Sluice body into unauthorized with the access-link hint', async () => {
    const { fetch } = fakeFetch(401, 'Unauthorized');
    const result = await callOverHttp(fetch, 'system.health', {}, { tenantId: null });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(!result.ok && result.error.message).toMatch(/access link.*sluice serve/);
  });

  it('reports a network failure as unavailable instead of rejecting', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const result = await callOverHttp(fetch, 'system.health', {}, { tenantId: null });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!result.ok && result.error.message).toMatch(/Failed to fetch/);
  });

  it('reports a page that is not a Sluice server (HTML 404) as unavailable', async () => {
    const { fetch } = fakeFetch(404, '<html>Not found</html>');
    const result = await callOverHttp(fetch, 'system.health', {}, { tenantId: null });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!result.ok && result.error.message).toMatch(/HTTP 404/);
  });
});
