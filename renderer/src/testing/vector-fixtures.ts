import type { ItemDetail, VectorsStatus } from '../../../shared/contract/vectors';

/** A Vectors status with work items catching up and PRs complete, on the local double with the lexical embedder. */
export const vectorsStatus = (over: Partial<Extract<VectorsStatus, { enabled: true }>> = {}): Extract<VectorsStatus, { enabled: true }> => ({
  enabled: true,
  qdrant: { url: 'http://127.0.0.1:6333', state: 'up', version: '1.18.0', double: true, message: null, latencyMs: 2.5 },
  embedder: { id: 'offline-lexical-v1/384', provider: 'offline', lexical: true, summary: 'Built-in offline embedder (384 dimensions): hashed words and character trigrams. It is lexical, not semantic.' },
  collectionPrefix: 'sluice',
  entities: [
    { entity: 'work_items', label: 'Work items', database: 1500, vectorized: 1200, stale: 0, pendingDeletes: 3, points: 1203, completion: 80, byIntegration: [{ integrationId: 1, name: 'Demo Jira', database: 1500, vectorized: 1200 }] },
    { entity: 'prs', label: 'Pull requests', database: 600, vectorized: 600, stale: 0, pendingDeletes: 0, points: 600, completion: 100, byIntegration: [{ integrationId: 2, name: 'Demo GitHub', database: 600, vectorized: 600 }] },
  ],
  collections: [
    { name: 'sluice_t1_prs', entity: 'prs', points: 600, dimensions: 384, status: 'green' },
    { name: 'sluice_t1_work_items', entity: 'work_items', points: 1203, dimensions: 384, status: 'green' },
  ],
  checkedAt: '2026-03-01T10:00:00.000Z',
  ...over,
});

export const disabledStatus = (): VectorsStatus => ({ enabled: false, reason: 'Vectors are off: QDRANT_URL is not set, so the vectorize stage does not run.' });

export const workItemDetail = (): ItemDetail => ({
  entity: 'work_items',
  id: 5,
  integrationId: 1,
  integrationName: 'Demo Jira',
  key: 'PROJ-5',
  url: 'https://jira.example/browse/PROJ-5',
  vector: { embeddedAt: '2026-03-01T09:00:00.000Z', embedder: 'offline-lexical-v1/384', textHash: 'a'.repeat(64), current: true },
  summary: 'Login page times out',
  description: 'After the SSO redirect the page spins.',
  type: 'Bug',
  status: 'In Review',
  workflowStep: 'Review',
  category: 'In Progress',
  priority: 'High',
  assignee: 'Ada',
  labels: ['sso'],
  components: [],
  projectKey: 'PROJ',
  parentKey: null,
  created: '2026-02-01T09:00:00.000Z',
  updated: '2026-02-20T09:00:00.000Z',
});
