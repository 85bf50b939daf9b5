import type pg from 'pg';
import type { z } from 'zod';

import { bulkUpsert, type Row } from '../../load/bulk-upsert';
import type { Lineage, TransformOutput } from '../../pipeline/connector';
import { PermanentError } from '../../queue/errors';
import { CommitRow, CommentRow, GithubTables, LinkRow, PrRow, RepositoryRow, ReviewRow, ReviewThreadRow } from './transform/rows';

/**
 * Loads one GitHub unit's transform output (workers/pipeline/connector.ts `load`), inside the load
 * handler's transaction (tenant set for RLS; never BEGIN/COMMIT here).
 *
 * Order within the transaction:
 * 1. lock every PR the unit touches (`pg_advisory_xact_lock`, keys sorted so two units never wait on
 *    each other in a cycle; should Postgres still see a deadlock it aborts one unit, which is retried);
 * 2. upsert rows on their natural keys with `raw_id` as the version (an older unit never replaces a
 *    newer row, so units may load in any order);
 * 3. title and branch links: written (and the ones the PR no longer names deleted) only by the unit
 *    that holds the PR's newest page, so an old page loaded late cannot bring back a link the title lost;
 *    commit-message links keep the earliest commit naming the key (loadCommitLinks);
 * 4. recompute the metrics of the touched PRs from the rows now in the tables.
 *
 * Why the metrics are exact whatever the order and concurrency of units: a PR's metrics depend on rows
 * that arrive in several units (its page, further commit and review pages). Every unit that writes a
 * row of PR X first takes X's lock and holds it to commit, so units touching X are serialized. Under
 * READ COMMITTED each statement sees everything committed before it started, so the recompute of the
 * unit that commits last for X sees every row of X from every unit committed before it plus its own:
 * that last recompute is over the complete set, and it is the value that stays. A unit whose PR row is
 * not loaded yet updates nothing; the PR page's own recompute, when it comes, sees the earlier rows.
 *
 * Metric definitions (reviews by the PR's author and PENDING reviews, which GitHub shows only to their
 * author, do not count as reviews):
 * - commit_count: commits loaded for the PR (GitHub serves at most 250 per PR, as its API documents);
 * - review_count, reviewers, reviewer_count: submitted reviews by others, their distinct logins;
 * - first_review_at: the earliest submitted review by someone else;
 * - review_cycles: CHANGES_REQUESTED reviews (each request for changes is a round of rework);
 * - rework_commit_count: commits authored after first_review_at (author time: a rebase rewrites commit
 *   times but keeps author times, so rebased work is not mistaken for rework);
 * - comment_count / review_comment_count / review_thread_count: conversation comments, comments on
 *   the diff, review threads.
 * additions, deletions, changed files and branches are the PR's own fields from its newest page.
 */

type Client = pg.ClientBase;

const columnsOf = (schema: z.ZodObject): string[] => [...Object.keys(schema.shape), 'tenant_id', 'integration_id', 'raw_id'];

const SCOPE = ['tenant_id', 'integration_id'] as const;
const TABLES = {
  repositories: { schema: RepositoryRow, key: [...SCOPE, 'external_id'] },
  prs: { schema: PrRow, key: [...SCOPE, 'external_id'] },
  prs_review_threads: { schema: ReviewThreadRow, key: [...SCOPE, 'external_id'] },
  prs_commits: { schema: CommitRow, key: [...SCOPE, 'pr_external_id', 'oid'] },
  prs_reviews: { schema: ReviewRow, key: [...SCOPE, 'external_id'] },
  prs_comments: { schema: CommentRow, key: [...SCOPE, 'external_id'] },
  work_items_prs_links: { schema: LinkRow, key: [...SCOPE, 'source', 'work_item_key', 'repo_full_name', 'pr_number'] },
} as const;

const upsert = async (client: Client, table: keyof typeof TABLES, rows: readonly Record<string, unknown>[], lineage: Lineage): Promise<void> => {
  if (rows.length === 0) return;
  const { schema, key } = TABLES[table];
  const scoped: Row[] = rows.map((r) => ({ ...r, tenant_id: lineage.tenantId, integration_id: lineage.integrationId, raw_id: lineage.rawId }));
  await bulkUpsert(client, { table, columns: columnsOf(schema), key: [...key], rows: scoped, versionColumn: 'raw_id' });
};

/** Locks the PRs in a fixed order (by key), so two units touching the same PRs never deadlock. */
const lockPrs = async (client: Client, lineage: Lineage, prIds: readonly string[]): Promise<void> => {
  if (prIds.length === 0) return;
  // Node ids are text and advisory locks take a bigint: a 64-bit hash, which at worst makes two
  // unrelated PRs share a lock (they are then serialized, never wrong).
  const { rows } = await client.query<{ keys: string[] }>(
    `SELECT coalesce(array_agg(k ORDER BY k), '{}') AS keys
       FROM (SELECT DISTINCT hashtextextended($1 || id, 0) AS k FROM unnest($2::text[]) AS id) s`,
    [`sluice:github:pr:${lineage.tenantId}:${lineage.integrationId}:`, prIds],
  );
  // A function scan yields the array in order, so the locks are taken in key order.
  await client.query('SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::bigint[]) AS k', [rows[0]?.keys ?? []]);
};

/**
 * Commit-message links: one row per (key, PR) whichever pages name the key, naming the earliest
 * commit (author time, then oid) of all of them, with the newest unit that holds that commit as
 * lineage. The commits are in prs_commits already (this unit's upserted above, earlier units' before
 * this PR's lock was granted), so the merge compares the two commits there. Keeping the minimum is
 * commutative and idempotent, so neither paging nor load order changes the result.
 */
const loadCommitLinks = async (client: Client, links: readonly LinkRow[], lineage: Lineage): Promise<void> => {
  if (links.length === 0) return;
  await client.query(
    `INSERT INTO work_items_prs_links AS t (tenant_id, integration_id, source, work_item_key, repo_full_name, pr_number, external_repo_id, pr_external_id, commit_sha, raw_id)
     SELECT $1, $2, 'commit_message', l.work_item_key, l.repo_full_name, l.pr_number, l.external_repo_id, l.pr_external_id, l.commit_sha, $3
       FROM jsonb_to_recordset($4::jsonb) AS l (work_item_key text, repo_full_name text, pr_number integer, external_repo_id text, pr_external_id text, commit_sha text)
     ON CONFLICT (tenant_id, integration_id, source, work_item_key, repo_full_name, pr_number) DO UPDATE
        SET commit_sha = EXCLUDED.commit_sha, raw_id = EXCLUDED.raw_id, external_repo_id = EXCLUDED.external_repo_id, pr_external_id = EXCLUDED.pr_external_id
      WHERE (t.commit_sha, t.raw_id, t.external_repo_id, t.pr_external_id) IS DISTINCT FROM (EXCLUDED.commit_sha, EXCLUDED.raw_id, EXCLUDED.external_repo_id, EXCLUDED.pr_external_id)
        AND CASE
              WHEN EXCLUDED.commit_sha = t.commit_sha THEN EXCLUDED.raw_id >= t.raw_id
              ELSE coalesce(
                (SELECT (c.authored_at, c.oid) FROM prs_commits c
                  WHERE c.tenant_id = t.tenant_id AND c.integration_id = t.integration_id AND c.pr_external_id = EXCLUDED.pr_external_id AND c.oid = EXCLUDED.commit_sha)
                < (SELECT (c.authored_at, c.oid) FROM prs_commits c
                  WHERE c.tenant_id = t.tenant_id AND c.integration_id = t.integration_id AND c.pr_external_id = t.pr_external_id AND c.oid = t.commit_sha),
                true) -- the stored commit is gone (or unknown): take the one we know
            END`,
    [lineage.tenantId, lineage.integrationId, lineage.rawId, JSON.stringify(links)],
  );
};

const TITLE_BRANCH = ['pr_title', 'pr_branch'];

/**
 * Title and branch links of the PRs whose newest page is this unit: upsert them, then delete the ones
 * the PR no longer names (from an older page, or from this same unit transformed before: a
 * re-transform replays a unit with its own raw id, and its new output is then the whole truth).
 */
const loadTitleBranchLinks = async (client: Client, links: readonly LinkRow[], prIds: readonly string[], lineage: Lineage): Promise<void> => {
  if (prIds.length === 0) return;
  const { rows } = await client.query<{ external_id: string }>(
    'SELECT external_id FROM prs WHERE tenant_id = $1 AND integration_id = $2 AND external_id = ANY($3::text[]) AND raw_id = $4',
    [lineage.tenantId, lineage.integrationId, prIds, lineage.rawId],
  );
  const current = new Set(rows.map((r) => r.external_id));
  if (current.size === 0) return;
  const kept = links.filter((l) => current.has(l.pr_external_id));
  await upsert(client, 'work_items_prs_links', kept, lineage);
  await client.query(
    `DELETE FROM work_items_prs_links l
      WHERE l.tenant_id = $1 AND l.integration_id = $2 AND l.source = ANY($3::text[]) AND l.pr_external_id = ANY($4::text[]) AND l.raw_id <= $5
        AND NOT EXISTS (
          SELECT 1 FROM jsonb_to_recordset($6::jsonb) AS k (source text, work_item_key text, repo_full_name text, pr_number integer)
           WHERE (k.source, k.work_item_key, k.repo_full_name, k.pr_number) = (l.source, l.work_item_key, l.repo_full_name, l.pr_number))`,
    [lineage.tenantId, lineage.integrationId, TITLE_BRANCH, [...current], lineage.rawId, JSON.stringify(kept)],
  );
};

/** Recomputes the metrics of `prIds` from the loaded rows; rewrites only the PRs whose metrics changed. */
const refreshMetrics = async (client: Client, prIds: readonly string[], lineage: Lineage): Promise<void> => {
  if (prIds.length === 0) return;
  await client.query(
    `WITH m AS (
       SELECT p.id, c.commit_count, c.rework_commit_count, r.review_count, r.reviewers, r.reviewer_count, r.first_review_at, r.review_cycles,
              k.comment_count, k.review_comment_count, t.review_thread_count
         FROM prs p
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS review_count,
                  coalesce(array_agg(DISTINCT x.author_login ORDER BY x.author_login) FILTER (WHERE x.author_login IS NOT NULL), '{}') AS reviewers,
                  count(DISTINCT x.author_login)::int AS reviewer_count,
                  min(x.submitted_at) AS first_review_at,
                  count(*) FILTER (WHERE x.state = 'CHANGES_REQUESTED')::int AS review_cycles
             FROM prs_reviews x
            WHERE x.tenant_id = p.tenant_id AND x.integration_id = p.integration_id AND x.pr_external_id = p.external_id
              AND x.state <> 'PENDING' AND x.author_login IS DISTINCT FROM p.author_login) r
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS commit_count, count(*) FILTER (WHERE x.authored_at > r.first_review_at)::int AS rework_commit_count
             FROM prs_commits x
            WHERE x.tenant_id = p.tenant_id AND x.integration_id = p.integration_id AND x.pr_external_id = p.external_id) c
         CROSS JOIN LATERAL (
           SELECT count(*) FILTER (WHERE x.comment_type = 'issue')::int AS comment_count,
                  count(*) FILTER (WHERE x.comment_type = 'review_thread')::int AS review_comment_count
             FROM prs_comments x
            WHERE x.tenant_id = p.tenant_id AND x.integration_id = p.integration_id AND x.pr_external_id = p.external_id) k
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS review_thread_count
             FROM prs_review_threads x
            WHERE x.tenant_id = p.tenant_id AND x.integration_id = p.integration_id AND x.pr_external_id = p.external_id) t
        WHERE p.tenant_id = $1 AND p.integration_id = $2 AND p.external_id = ANY($3::text[])
     )
     UPDATE prs p
        SET commit_count = m.commit_count, rework_commit_count = m.rework_commit_count, review_count = m.review_count,
            reviewers = m.reviewers, reviewer_count = m.reviewer_count, first_review_at = m.first_review_at, review_cycles = m.review_cycles,
            comment_count = m.comment_count, review_comment_count = m.review_comment_count, review_thread_count = m.review_thread_count
       FROM m
      WHERE p.id = m.id
        AND (p.commit_count, p.rework_commit_count, p.review_count, p.reviewers, p.reviewer_count, p.first_review_at, p.review_cycles,
             p.comment_count, p.review_comment_count, p.review_thread_count)
            IS DISTINCT FROM
            (m.commit_count, m.rework_commit_count, m.review_count, m.reviewers, m.reviewer_count, m.first_review_at, m.review_cycles,
             m.comment_count, m.review_comment_count, m.review_thread_count)`,
    [lineage.tenantId, lineage.integrationId, prIds],
  );
};

/** Loads a GitHub unit (see the module comment); throws PermanentError for output that is not the GitHub transform's. */
export const loadGithub = async (client: pg.ClientBase, output: TransformOutput, lineage: Lineage): Promise<void> => {
  const parsed = GithubTables.safeParse(output.tables);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PermanentError(`Raw unit ${lineage.rawId} has transform output the GitHub load does not accept (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}); re-transform the unit.`);
  }
  const t = parsed.data;
  const links = t.work_items_prs_links ?? [];
  const prIds = [
    ...new Set([
      ...(t.prs ?? []).map((r) => r.external_id),
      ...[...(t.prs_commits ?? []), ...(t.prs_reviews ?? []), ...(t.prs_review_threads ?? []), ...(t.prs_comments ?? []), ...links].map((r) => r.pr_external_id),
    ]),
  ].sort();

  await lockPrs(client, lineage, prIds);
  await upsert(client, 'repositories', t.repositories ?? [], lineage);
  await upsert(client, 'prs', t.prs ?? [], lineage);
  await upsert(client, 'prs_review_threads', t.prs_review_threads ?? [], lineage);
  await upsert(client, 'prs_commits', t.prs_commits ?? [], lineage);
  await upsert(client, 'prs_reviews', t.prs_reviews ?? [], lineage);
  await upsert(client, 'prs_comments', t.prs_comments ?? [], lineage);
  await loadCommitLinks(client, links.filter((l) => l.source === 'commit_message'), lineage);
  await loadTitleBranchLinks(client, links.filter((l) => l.source !== 'commit_message'), (t.prs ?? []).map((r) => r.external_id), lineage);
  await refreshMetrics(client, prIds, lineage);
};
