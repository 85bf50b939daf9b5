import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiMessage, describeStatus, joinUrl, RequestFailure, requestJson } from './http';

describe('apiMessage', () => {
  it("reads each API's own error words", () => {
    expect(apiMessage({ errorMessages: ['Bad JQL'], errors: { jql: 'near ORDER' } })).toBe('Bad JQL; jql: near ORDER');
    expect(apiMessage({ message: 'Bad credentials', documentation_url: 'x' })).toBe('Bad credentials');
    expect(apiMessage({ errors: [{ message: 'Field viewer missing' }], data: null })).toBe('Field viewer missing');
    expect(apiMessage('<html>oops</html>')).toBe('<html>oops</html>');
    expect(apiMessage({})).toBeNull();
  });
});

describe('describeStatus', () => {
  it('says what each failure means and what to do', () => {
    expect(describeStatus(401, { message: 'Bad credentials' }, 'u', 'check the token', null)).toBe('the token was refused (401: "Bad credentials"); check the token');
    expect(describeStatus(403, {}, 'u', '', null)).toMatch(/^permission denied \(403\); the token works but lacks/);
    expect(describeStatus(404, null, 'https://x/rest/api/3/myself', '', null)).toBe('not found (404) at https://x/rest/api/3/myself; check the base URL');
    expect(describeStatus(429, null, 'u', '', '30')).toBe('rate limited (429), retry after 30 s; try again later or lower the rate limit');
    expect(describeStatus(503, null, 'u', '', null)).toBe('the server failed (503); try again later');
    expect(describeStatus(422, { message: 'Validation Failed' }, 'u', '', null)).toBe('the request was refused (422: "Validation Failed")');
  });
});

describe('requestJson', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/json') return void res.setHeader('content-type', 'application/json').end(JSON.stringify({ auth: req.headers.authorization }));
      if (req.url === '/html') return void res.setHeader('content-type', 'text/html').end('<html>login</html>');
      res.statusCode = 401;
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ message: 'Bad credentials' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const opts = { headers: { authorization: 'Bearer t' }, timeoutMs: 2000, authHint: 'check it' };

  it('returns the JSON body of a 2xx answer', async () => {
    expect((await requestJson(`${base}/json`, opts)).body).toEqual({ auth: 'Bearer t' });
  });

  it('fails a web page (the wrong URL) and an HTTP error with a sentence', async () => {
    const html = await requestJson(`${base}/html`, opts).catch((e: unknown) => e);
    expect(html).toBeInstanceOf(RequestFailure);
    expect(html).toMatchObject({ kind: 'not_json', fatal: true, message: expect.stringContaining('answered with text/html instead of JSON') });
    const denied = await requestJson(`${base}/nope`, opts).catch((e: unknown) => e);
    expect(denied).toMatchObject({ kind: 'http', status: 401, fatal: true, message: 'the token was refused (401: "Bad credentials"); check it' });
  });

  it('joins URLs with exactly one slash', () => {
    expect(joinUrl('https://x.io/', '/rest/api/3/myself')).toBe('https://x.io/rest/api/3/myself');
    expect(joinUrl('https://h/api/v3', 'rate_limit')).toBe('https://h/api/v3/rate_limit');
  });
});
