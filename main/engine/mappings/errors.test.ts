import { describe, expect, it } from 'vitest';

import { ApiError } from '../../../shared/contract/errors';
import { asMappingError } from './errors';

describe('mapping database errors', () => {
  it('turns a unique violation into a conflict at the field it concerns', () => {
    const e = asMappingError({ code: '23505', constraint: 'wits_mappings_from_key', message: 'duplicate key' });
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: 'conflict', issues: [{ path: 'witFrom', message: 'this Jira type already has a mapping (names ignore case)' }] });
    expect((asMappingError({ code: '23505', constraint: 'wits_hierarchies_level_key' }) as ApiError).issues?.[0]?.path).toBe('levelNumber');
  });

  it("explains the workflow trigger's refusal at the commit", () => {
    const e = asMappingError({ code: '23514', message: 'Integration 4 has 0 commitment points among its 3 active workflow steps; exactly one step must be the commitment point. Set ...' });
    expect(e).toMatchObject({ code: 'conflict', issues: [{ path: 'isCommitmentPoint', message: 'exactly one step must be the commitment point' }] });
    expect((e as ApiError).message).toContain('Integration 4 has 0 commitment points among its 3 active workflow steps');
  });

  it('leaves other errors (and ApiErrors) as they are', () => {
    const api = new ApiError('not_found', 'x');
    expect(asMappingError(api)).toBe(api);
    const other = { code: '23505', constraint: 'some_other_key' };
    expect(asMappingError(other)).toBe(other);
    expect(asMappingError('boom')).toBe('boom');
  });
});
