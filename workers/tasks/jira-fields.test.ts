import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { JiraSettings } from '../../shared/connectors/settings';
import { taskDefs } from '../../shared/worker-protocol/tasks';
import { jiraFields } from './jira-fields';

/** A tiny Jira: the field list (with Basic auth), a body that is no list, and a refusal. */
let server: Server;
let base: string;
const FIELDS = [
  { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
  { id: 'customfield_10020', name: 'Sprint', custom: true, schema: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 } },
  { id: 'customfield_10100', name: 'No schema' },
];
const connection = (path: string, token = 'tok') => ({ provider: 'jira' as const, baseUrl: `${base}${path}`, token, settings: JiraSettings.parse({ email: 'ops@acme.io' }) });

beforeAll(async () => {
  server = createServer((req, res) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from('ops@acme.io:tok').toString('base64')}`;
    res.setHeader('content-type', 'application/json');
    if (!ok) return void res.writeHead(401).end(JSON.stringify({ errorMessages: ['Client must be authenticated'] }));
    if (req.url === '/good/rest/api/3/field') return void res.end(JSON.stringify(FIELDS));
    res.end(JSON.stringify({ values: [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('jira.fields task', () => {
  it("returns Jira's answer as received and the fields transform's rows of it", async () => {
    const out = await jiraFields(connection('/good'), 5000);
    expect(out.requestUrl).toBe(`${base}/good/rest/api/3/field`);
    expect(out.payload).toEqual(FIELDS);
    expect(out.rows).toEqual([
      { external_id: 'summary', name: 'Summary', field_type: 'string', custom: false, schema: { type: 'string', system: 'summary' } },
      { external_id: 'customfield_10020', name: 'Sprint', field_type: 'array', custom: true, schema: FIELDS[1]!.schema },
      { external_id: 'customfield_10100', name: 'No schema', field_type: null, custom: true, schema: null },
    ]);
    // What the engine gets back passes the task's own output schema.
    expect(taskDefs['jira.fields'].output.safeParse(out).success).toBe(true);
  });

  it('says what to check when the token is refused or the answer is no field list', async () => {
    await expect(jiraFields(connection('/good', 'wrong'), 5000)).rejects.toThrow(
      'Could not read the field list from Jira: the token was refused (401: "Client must be authenticated"); check the API token and that it belongs to ops@acme.io (Integrations screen).',
    );
    await expect(jiraFields(connection('/other'), 5000)).rejects.toThrow('with something other than a field list; check that the site URL points at Jira Cloud.');
  });
});
