import { ConnectorPlan } from './plan';

/**
 * Plans of the synthetic test connector (workers/pipeline/synthetic.ts), for tests and benchmarks of
 * the pipeline itself: `synthetic` is one stream of pages; `synthetic_tree` adds a child stream whose
 * partitions the item pages name, to exercise fan-out and counted completion across partitions.
 */
export const syntheticPlan = ConnectorPlan.parse({
  provider: 'synthetic',
  label: 'Synthetic (tests)',
  steps: [{ key: 'items', label: 'Items', streams: [{ name: 'items', label: 'Items', incremental: true }] }],
  lineageTables: ['synthetic_items'],
});

export const syntheticTreePlan = ConnectorPlan.parse({
  provider: 'synthetic_tree',
  label: 'Synthetic tree (tests)',
  steps: [
    { key: 'items', label: 'Items', streams: [{ name: 'items', label: 'Items', incremental: true }] },
    { key: 'details', label: 'Details', streams: [{ name: 'details', label: 'Details per item page', partitionsFrom: ['items'], partitionLabel: 'item page' }] },
  ],
  lineageTables: ['synthetic_items'],
});
