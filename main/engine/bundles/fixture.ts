import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleHeader, type BundleLine } from '../../../shared/contract/bundles';

/** Bundle text for tests (imported by tests only): a header and unit lines, with overrides. */

export const header = (over: Partial<BundleHeader> = {}): BundleHeader => ({
  format: BUNDLE_FORMAT,
  version: BUNDLE_VERSION,
  tenantId: 7,
  integration: { id: 3, name: 'Acme Jira', connector: 'jira' },
  filter: { integrationId: 3 },
  exportedAt: '2026-11-30T10:00:00.000Z',
  source: 'postgres',
  ...over,
});

export const unitLine = (rawId: number, over: Partial<BundleLine> = {}): BundleLine => ({
  rawId,
  integrationId: 3,
  runId: 11,
  step: 'issues',
  stream: 'issues',
  partition: 'ACME',
  parentKey: 'ACME',
  status: 'loaded',
  recordCount: 1,
  requestUrl: 'https://jira.example/rest/api/3/search/jql',
  createdAt: '2026-11-30T09:00:00.000Z',
  payload: { issues: [{ id: String(1000 + rawId), key: `ACME-${rawId}`, fields: { summary: `Issue number ${rawId}` } }] },
  ...over,
});

export const bundleText = (lines: readonly (string | object)[], head: object = header()): string =>
  [JSON.stringify(head), ...lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)))].join('\n') + '\n';
