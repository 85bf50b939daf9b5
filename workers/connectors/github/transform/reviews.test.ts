import { describe, expect, it } from 'vitest';

import { ReviewConnection } from '../payloads';
import { connection, review, sha } from '../sample-payloads';
import { reviewRows } from './reviews';

describe('review rows', () => {
  it('map state, author (null for a deleted account), commit and submission time', () => {
    const page = ReviewConnection.parse(connection([review('PRR_1', 'CHANGES_REQUESTED', 'bo'), review('PRR_2', 'PENDING', null, null)]));
    expect(reviewRows('PR_1', page)).toEqual([
      {
        external_id: 'PRR_1',
        pr_external_id: 'PR_1',
        database_id: 7,
        state: 'CHANGES_REQUESTED',
        author_login: 'bo',
        body: 'looks fine',
        url: 'https://github.com/o/r/pull/1#pullrequestreview-PRR_1',
        commit_oid: sha(1),
        github_created_at: '2024-01-03T12:00:00.000Z',
        submitted_at: '2024-01-03T12:00:00.000Z',
      },
      expect.objectContaining({ external_id: 'PRR_2', state: 'PENDING', author_login: null, submitted_at: null, github_created_at: '2024-01-03T11:00:00.000Z' }),
    ]);
  });

  it('no reviews connection (nullable in GitHub’s schema) means no rows', () => {
    expect(reviewRows('PR_1', null)).toEqual([]);
  });

  it('an unknown review state breaks the contract', () => {
    expect(ReviewConnection.safeParse(connection([review('PRR_3', 'MAYBE', 'bo')])).success).toBe(false);
  });
});
