-- The GitHub half of the unified model (DESIGN.md section 3): repositories, pull requests and what
-- hangs off them (commits, reviews, review threads, comments). Loaded by the GitHub connector
-- (workers/connectors/github/load.ts) from transform output.
--
-- - Natural keys everywhere: GitHub node ids (PRs, reviews, threads, comments), the numeric id for
--   repositories, (PR, oid) for commits (one commit can sit in several PRs: stacked or cherry-picked).
--   Loads are upserts on them, so a redelivered unit duplicates nothing.
-- - Rows refer to each other by natural keys only (a commit names its PR's node id), never by
--   surrogate ids looked up at load time: a nested page may load before its PR page.
-- - Lineage and version: raw_id is the raw unit a row came from (raw_extraction_data.id, no foreign key
--   so raw retention never blocks); an existing row is only replaced by a row from the same or a newer
--   unit (workers/load/bulk-upsert.ts versionColumn).
-- - prs carries metrics computed by load from the loaded rows under a per-PR advisory lock (see
--   load.ts for the definitions and why they are exact whatever order units load in).
-- - Row-level security as in 0001-0006. updated_at moves only when a row really changes (upserts skip
--   identical rows), so it tells what changed since a given time.

CREATE FUNCTION github_unified_touch() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

CREATE TABLE repositories (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id          integer NOT NULL,
  integration_id     bigint NOT NULL,
  -- GitHub's numeric repository id as text (Jira dev-status calls it repositoryId).
  external_id        text NOT NULL,
  node_id            text,
  name               text NOT NULL,
  -- As GitHub spells it; joins with PRs and links use lower(full_name).
  full_name          text NOT NULL CHECK (full_name LIKE '%/%'),
  owner_login        text NOT NULL,
  description        text,
  language           text,
  default_branch     text,
  visibility         text,
  is_private         boolean NOT NULL,
  is_fork            boolean,
  is_archived        boolean,
  is_disabled        boolean,
  is_template        boolean,
  topics             text[] NOT NULL DEFAULT '{}',
  license            text,
  stargazers_count   integer,
  forks_count        integer,
  open_issues_count  integer,
  size_kb            integer,
  html_url           text NOT NULL,
  github_created_at  timestamptz,
  github_updated_at  timestamptz,
  pushed_at          timestamptz,
  raw_id             bigint NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);
CREATE INDEX repositories_name_idx ON repositories (tenant_id, integration_id, lower(full_name));
CREATE INDEX repositories_raw_idx ON repositories (raw_id);

CREATE TABLE prs (
  id                           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id                    integer NOT NULL,
  integration_id               bigint NOT NULL,
  -- The PR's GraphQL node id.
  external_id                  text NOT NULL,
  database_id                  bigint,
  repo_external_id             text,
  repo_full_name               text NOT NULL CHECK (repo_full_name = lower(repo_full_name) AND repo_full_name LIKE '%/%'),
  number                       integer NOT NULL CHECK (number > 0),
  title                        text NOT NULL,
  body                         text NOT NULL,
  url                          text NOT NULL,
  state                        text NOT NULL CHECK (state IN ('OPEN', 'CLOSED', 'MERGED')),
  is_draft                     boolean NOT NULL,
  author_login                 text,
  source_branch                text NOT NULL,
  target_branch                text NOT NULL,
  additions                    integer NOT NULL CHECK (additions >= 0),
  deletions                    integer NOT NULL CHECK (deletions >= 0),
  changed_files                integer NOT NULL CHECK (changed_files >= 0),
  github_created_at            timestamptz NOT NULL,
  github_updated_at            timestamptz NOT NULL,
  closed_at                    timestamptz,
  merged_at                    timestamptz,
  -- totalCount of each nested connection on the PR's latest page, as GitHub reported it: compare with
  -- the counts below to see whether every nested page has been loaded.
  reported_commit_count        integer NOT NULL,
  reported_review_count        integer NOT NULL,
  reported_comment_count       integer NOT NULL,
  reported_review_thread_count integer NOT NULL,
  -- Metrics, recomputed by load from the loaded rows (load.ts has the exact definitions).
  commit_count                 integer NOT NULL DEFAULT 0,
  review_count                 integer NOT NULL DEFAULT 0,
  reviewers                    text[] NOT NULL DEFAULT '{}',
  reviewer_count               integer NOT NULL DEFAULT 0,
  first_review_at              timestamptz,
  review_cycles                integer NOT NULL DEFAULT 0,
  rework_commit_count          integer NOT NULL DEFAULT 0,
  comment_count                integer NOT NULL DEFAULT 0,
  review_thread_count          integer NOT NULL DEFAULT 0,
  review_comment_count         integer NOT NULL DEFAULT 0,
  raw_id                       bigint NOT NULL,
  created_at                   timestamptz NOT NULL DEFAULT now(),
  updated_at                   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);
-- The join with work_items_prs_links (repo_full_name, pr_number) and the console's "PR #n of repo".
CREATE INDEX prs_repo_number_idx ON prs (tenant_id, repo_full_name, number);
CREATE INDEX prs_updated_idx ON prs (tenant_id, integration_id, github_updated_at DESC);
CREATE INDEX prs_raw_idx ON prs (raw_id);

CREATE TABLE prs_commits (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id        integer NOT NULL,
  integration_id   bigint NOT NULL,
  pr_external_id   text NOT NULL,
  oid              text NOT NULL CHECK (oid ~ '^[0-9a-f]{40}$'),
  message          text NOT NULL,
  author_name      text,
  author_email     text,
  author_login     text,
  committer_name   text,
  committer_email  text,
  committer_login  text,
  authored_at      timestamptz NOT NULL,
  committed_at     timestamptz NOT NULL,
  raw_id           bigint NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, pr_external_id, oid)
);
CREATE INDEX prs_commits_oid_idx ON prs_commits (tenant_id, oid);
CREATE INDEX prs_commits_raw_idx ON prs_commits (raw_id);

CREATE TABLE prs_reviews (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id          integer NOT NULL,
  integration_id     bigint NOT NULL,
  external_id        text NOT NULL,
  pr_external_id     text NOT NULL,
  database_id        bigint,
  state              text NOT NULL CHECK (state IN ('PENDING', 'COMMENTED', 'APPROVED', 'CHANGES_REQUESTED', 'DISMISSED')),
  author_login       text,
  body               text NOT NULL,
  url                text,
  commit_oid         text,
  github_created_at  timestamptz NOT NULL,
  submitted_at       timestamptz,
  raw_id             bigint NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);
CREATE INDEX prs_reviews_pr_idx ON prs_reviews (tenant_id, integration_id, pr_external_id);
CREATE INDEX prs_reviews_raw_idx ON prs_reviews (raw_id);

CREATE TABLE prs_review_threads (
  id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id               integer NOT NULL,
  integration_id          bigint NOT NULL,
  external_id             text NOT NULL,
  pr_external_id          text NOT NULL,
  is_resolved             boolean NOT NULL,
  is_outdated             boolean,
  path                    text NOT NULL,
  line                    integer,
  reported_comment_count  integer NOT NULL,
  raw_id                  bigint NOT NULL,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);
CREATE INDEX prs_review_threads_pr_idx ON prs_review_threads (tenant_id, integration_id, pr_external_id);
CREATE INDEX prs_review_threads_raw_idx ON prs_review_threads (raw_id);

-- The PR conversation (comment_type 'issue') and comments on the diff inside review threads
-- ('review_thread', with their thread, review and the comment they reply to).
CREATE TABLE prs_comments (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id             integer NOT NULL,
  integration_id        bigint NOT NULL,
  external_id           text NOT NULL,
  pr_external_id        text NOT NULL,
  comment_type          text NOT NULL CHECK (comment_type IN ('issue', 'review_thread')),
  thread_external_id    text,
  review_external_id    text,
  reply_to_external_id  text,
  database_id           bigint,
  author_login          text,
  body                  text NOT NULL,
  url                   text,
  path                  text,
  line                  integer,
  original_line         integer,
  diff_hunk             text,
  github_created_at     timestamptz NOT NULL,
  github_updated_at     timestamptz NOT NULL,
  raw_id                bigint NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id),
  CHECK ((comment_type = 'review_thread') = (thread_external_id IS NOT NULL))
);
CREATE INDEX prs_comments_pr_idx ON prs_comments (tenant_id, integration_id, pr_external_id, comment_type);
CREATE INDEX prs_comments_thread_idx ON prs_comments (tenant_id, integration_id, thread_external_id) WHERE thread_external_id IS NOT NULL;
CREATE INDEX prs_comments_raw_idx ON prs_comments (raw_id);

-- Every table: the tenant role may read and write it, only its own tenant's rows (RLS), and updated_at
-- follows real changes.

GRANT SELECT, INSERT, UPDATE, DELETE ON repositories TO sluice_tenant;
ALTER TABLE repositories ENABLE ROW LEVEL SECURITY;
CREATE POLICY repositories_isolation ON repositories
  USING (tenant_id = sluice_current_tenant())
  WITH CHECK (tenant_id = sluice_current_tenant());
CREATE TRIGGER repositories_touch BEFORE UPDATE ON repositories FOR EACH ROW EXECUTE FUNCTION github_unified_touch();

GRANT SELECT, INSERT, UPDATE, DELETE ON prs TO sluice_tenant;
ALTER TABLE prs ENABLE ROW LEVEL SECURITY;
CREATE POLICY prs_isolation ON prs
  USING (tenant_id = sluice_current_tenant())
  WITH CHECK (tenant_id = sluice_current_tenant());
CREATE TRIGGER prs_touch BEFORE UPDATE ON prs FOR EACH ROW EXECUTE FUNCTION github_unified_touch();

GRANT SELECT, INSERT, UPDATE, DELETE ON prs_commits TO sluice_tenant;
ALTER TABLE prs_commits ENABLE ROW LEVEL SECURITY;
CREATE POLICY prs_commits_isolation ON prs_commits
  USING (tenant_id = sluice_current_tenant())
  WITH CHECK (tenant_id = sluice_current_tenant());
CREATE TRIGGER prs_commits_touch BEFORE UPDATE ON prs_commits FOR EACH ROW EXECUTE FUNCTION github_unified_touch();

GRANT SELECT, INSERT, UPDATE, DELETE ON prs_reviews TO sluice_tenant;
ALTER TABLE prs_reviews ENABLE ROW LEVEL SECURITY;
CREATE POLICY prs_reviews_isolation ON prs_reviews
  USING (tenant_id = sluice_current_tenant())
  WITH CHECK (tenant_id = sluice_current_tenant());
CREATE TRIGGER prs_reviews_touch BEFORE UPDATE ON prs_reviews FOR EACH ROW EXECUTE FUNCTION github_unified_touch();

GRANT SELECT, INSERT, UPDATE, DELETE ON prs_review_threads TO sluice_tenant;
ALTER TABLE prs_review_threads ENABLE ROW LEVEL SECURITY;
CREATE POLICY prs_review_threads_isolation ON prs_review_threads
  USING (tenant_id = sluice_current_tenant())
  WITH CHECK (tenant_id = sluice_current_tenant());
CREATE TRIGGER prs_review_threads_touch BEFORE UPDATE ON prs_review_threads FOR EACH ROW EXECUTE FUNCTION github_unified_touch();

GRANT SELECT, INSERT, UPDATE, DELETE ON prs_comments TO sluice_tenant;
ALTER TABLE prs_comments ENABLE ROW LEVEL SECURITY;
CREATE POLICY prs_comments_isolation ON prs_comments
  USING (tenant_id = sluice_current_tenant())
  WITH CHECK (tenant_id = sluice_current_tenant());
CREATE TRIGGER prs_comments_touch BEFORE UPDATE ON prs_comments FOR EACH ROW EXECUTE FUNCTION github_unified_touch();
