import { z } from 'zod';
import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { iso, isoOrNull, parsePayload, present, requireData } from './parse';

describe('payload reading', () => {
  it('a payload off its schema is a PermanentError naming where it broke and what to do', () => {
    const schema = z.object({ data: z.object({ when: z.iso.datetime() }) });
    expect(parsePayload(schema, { data: { when: '2024-01-01T00:00:00Z' } }, 'thing')).toEqual({ data: { when: '2024-01-01T00:00:00Z' } });
    const run = () => parsePayload(schema, { data: { when: 'not-a-date' } }, 'thing');
    expect(run).toThrow(PermanentError);
    expect(run).toThrow(/The thing payload does not match GitHub's contract \(data\.when: .*\); inspect the raw unit/);
  });

  it('a GraphQL answer without data fails with GitHub’s words; with data, errors are partial', () => {
    expect(() => requireData({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] }, 'pull request page')).toThrow(
      /The pull request page response has no data \(RATE_LIMITED: API rate limit exceeded\); re-extract/,
    );
    expect(() => requireData({ data: null }, 'x')).toThrow(/no data and no errors/);
    expect(requireData({ data: { node: null }, errors: [{ message: 'gone' }] }, 'x')).toEqual({ node: null });
  });

  it('spells every timestamp as UTC ISO 8601 and drops null nodes', () => {
    expect(iso('2024-01-04T09:00:00+01:00')).toBe('2024-01-04T08:00:00.000Z');
    expect(iso('2024-01-04T09:00:00Z')).toBe('2024-01-04T09:00:00.000Z');
    expect(isoOrNull(null)).toBeNull();
    expect(isoOrNull(undefined)).toBeNull();
    expect(present([1, null, 2])).toEqual([1, 2]);
  });
});
