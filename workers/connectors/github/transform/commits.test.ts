import { describe, expect, it } from 'vitest';

import { CommitConnection } from '../payloads';
import { commit, connection, sha } from '../sample-payloads';
import { commitRows } from './commits';

describe('commit rows', () => {
  it('map author, committer (with or without a GitHub user) and times, keyed by PR and oid', () => {
    const page = CommitConnection.parse(connection([commit(1, 'ENG-12: first', '2024-01-02T10:00:00+02:00'), null]));
    expect(commitRows('PR_1', page)).toEqual([
      {
        pr_external_id: 'PR_1',
        oid: sha(1),
        message: 'ENG-12: first',
        author_name: 'Ana Lima',
        author_email: 'ana@example.com',
        author_login: 'ana',
        committer_name: 'GitHub',
        committer_email: 'noreply@github.com',
        committer_login: null,
        authored_at: '2024-01-02T08:00:00.000Z',
        committed_at: '2024-01-02T08:00:00.000Z',
      },
    ]);
  });

  it('a commit without author or committer keeps the rest', () => {
    const bare = { commit: { oid: sha(3), message: 'x', authoredDate: '2024-01-01T00:00:00Z', committedDate: '2024-01-01T00:00:00Z', author: null, committer: null } };
    expect(commitRows('PR_1', CommitConnection.parse(connection([bare])))[0]).toMatchObject({ author_name: null, author_login: null, committer_email: null, oid: sha(3) });
  });
});
