import type { ReviewConnection } from '../payloads';
import { iso, isoOrNull, present } from './parse';
import type { ReviewRow } from './rows';

/** Reviews of one page of a PR's `reviews` connection (null: GitHub gave no connection, so none). */
export const reviewRows = (prId: string, connection: ReviewConnection | null): ReviewRow[] =>
  present(connection?.nodes ?? []).map((r) => ({
    external_id: r.id,
    pr_external_id: prId,
    database_id: r.databaseId ?? null,
    state: r.state,
    author_login: r.author?.login ?? null,
    body: r.body,
    url: r.url ?? null,
    commit_oid: r.commit?.oid ?? null,
    github_created_at: iso(r.createdAt),
    submitted_at: isoOrNull(r.submittedAt),
  }));
