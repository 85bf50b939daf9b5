import { describe, expect, it } from 'vitest';

import { BundleHeader, BundleLine } from '../../../shared/contract/bundles';
import type { RawUnitSummary } from '../../../shared/contract/raw';
import { parseBundleText } from '../bundles/parse';
import { bundleHeaderLine, exportFilename, exportLine } from './export';

const unit: RawUnitSummary = {
  id: 41,
  integrationId: 3,
  runId: 9,
  step: 'issues',
  stream: 'issues',
  parentKey: 'ACME',
  requestUrl: 'https://jira.example/rest/api/3/search/jql?jql=project%3DACME',
  status: 'failed',
  recordCount: 2,
  payloadBytes: 40,
  attempts: 3,
  reprocessCount: 0,
  error: { message: 'boom' },
  replayOf: null,
  createdAt: '2026-11-30T09:00:00.000Z',
};

describe('the .sluice bundle the export writes', () => {
  it('is a header line the bundle schema accepts, then unit lines it accepts, named *.sluice', async () => {
    const head = bundleHeaderLine({ tenantId: 7, integration: { id: 3, name: 'Acme', connector: 'jira' }, filter: { integrationId: 3, statuses: ['failed'] }, source: 'postgres', at: new Date('2026-12-01T08:00:00.000Z') });
    expect(head.endsWith('\n')).toBe(true);
    expect(BundleHeader.parse(JSON.parse(head))).toEqual({
      format: 'sluice-raw-bundle',
      version: 1,
      tenantId: 7,
      integration: { id: 3, name: 'Acme', connector: 'jira' },
      filter: { integrationId: 3, statuses: ['failed'] },
      exportedAt: '2026-12-01T08:00:00.000Z',
      source: 'postgres',
    });
    // Postgres prints jsonb text on one line, but a payload with a newline must not split a unit.
    const line = exportLine(unit, '{"issues": [{"key": "ACME-1",\n"fields": {}}]}');
    expect(line).not.toContain('\n');
    expect(BundleLine.parse(JSON.parse(line))).toMatchObject({ rawId: 41, partition: 'ACME', parentKey: 'ACME', status: 'failed', payload: { issues: [{ key: 'ACME-1', fields: {} }] } });
    const opened = await parseBundleText(`${head}${line}\n`, { fileName: 'x.sluice', maxBytes: 1 << 20 });
    expect(opened.units.map((u) => u.summary.id)).toEqual([41]);
    expect(opened.problems).toEqual([]);
    expect(exportFilename(7, new Date('2026-12-01T08:09:10.000Z'))).toBe('sluice-raw-tenant-7-2026-12-01-080910.sluice');
  });
});
