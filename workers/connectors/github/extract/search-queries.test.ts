import { describe, expect, it } from 'vitest';

import { MAX_QUERY_LENGTH, repositoryQueries, splitByCreated } from './search-queries';

describe('repository discovery queries', () => {
  it('is the whole organization without patterns, and ORs name patterns in batches within the length limit', () => {
    expect(repositoryQueries('acme', [])).toEqual(['org:acme']);
    expect(repositoryQueries('acme', ['health-', 'bp-', 'bp-'])).toEqual(['org:acme health- in:name OR bp- in:name']);
    const many = Array.from({ length: 40 }, (_, i) => `service-number-${i}`);
    const queries = repositoryQueries('acme', many);
    expect(queries.length).toBeGreaterThan(1);
    expect(queries.every((q) => q.length <= MAX_QUERY_LENGTH && q.startsWith('org:acme '))).toBe(true);
    // Every pattern is in exactly one batch.
    expect(queries.flatMap((q) => q.replace('org:acme ', '').split(' OR ')).sort()).toEqual(many.map((p) => `${p} in:name`).sort());
  });

  it('splits a query past the 1000-result cap by creation date, halving until one day', () => {
    expect(splitByCreated('org:acme', '2008-01-05')).toEqual(['org:acme created:2008-01-01..2008-01-03', 'org:acme created:2008-01-04..2008-01-05']);
    const [a, b] = splitByCreated('org:acme x in:name created:2020-01-01..2020-01-02', '2026-12-02')!;
    expect([a, b]).toEqual(['org:acme x in:name created:2020-01-01..2020-01-01', 'org:acme x in:name created:2020-01-02..2020-01-02']);
    expect(splitByCreated('org:acme created:2020-01-01..2020-01-01', '2026-12-02')).toBeNull();
  });
});
