import type { CommitConnection } from '../payloads';
import { iso, present } from './parse';
import type { CommitRow } from './rows';

/** Commits of one page of a PR's `commits` connection; keyed by (PR, oid): one commit may be in several PRs. */
export const commitRows = (prId: string, connection: CommitConnection): CommitRow[] =>
  present(connection.nodes).map(({ commit }) => ({
    pr_external_id: prId,
    oid: commit.oid,
    message: commit.message,
    author_name: commit.author?.name ?? null,
    author_email: commit.author?.email ?? null,
    author_login: commit.author?.user?.login ?? null,
    committer_name: commit.committer?.name ?? null,
    committer_email: commit.committer?.email ?? null,
    committer_login: commit.committer?.user?.login ?? null,
    authored_at: iso(commit.authoredDate),
    committed_at: iso(commit.committedDate),
  }));
