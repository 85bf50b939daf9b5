-- Links between pull requests and work items, from both sides (DESIGN.md section 6):
-- - the Jira connector writes the links Jira's dev-status reports (source `jira_dev_status`);
-- - the GitHub connector writes the links it finds as issue keys in a PR's title, branch or commit
--   messages (sources `pr_title`, `pr_branch`, `commit_message`).
-- Each side keeps its own rows (with its integration and raw unit as lineage), so one side's
-- re-load never erases the other's; `pr_work_item_links` merges them per (work item key, repository,
-- PR number) with the list of sources that found the link.
--
-- Keys are normalised on the way in: work_item_key upper case (ENG-12), repo_full_name lower case
-- (owner/name), so both sides meet without case games.

CREATE TABLE work_items_prs_links (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id             integer NOT NULL,
  -- The integration whose data produced this link (a Jira one for dev-status, a GitHub one otherwise).
  integration_id        bigint NOT NULL,
  source                text NOT NULL CHECK (source IN ('jira_dev_status', 'pr_title', 'pr_branch', 'commit_message')),
  work_item_key         text NOT NULL CHECK (work_item_key ~ '^[A-Z][A-Z0-9_]*-[0-9]+$'),
  -- Jira's issue id, when the link came from Jira.
  work_item_external_id text,
  repo_full_name        text NOT NULL CHECK (repo_full_name = lower(repo_full_name) AND repo_full_name LIKE '%/%'),
  pr_number             integer NOT NULL CHECK (pr_number > 0),
  -- What the source knows about the PR (dev-status: its repository id, branch, last commit, status).
  external_repo_id      text,
  pr_external_id        text,
  branch_name           text,
  commit_sha            text,
  pr_status             text,
  pr_url                text,
  -- Lineage and version: the raw unit this row came from (see workers/load/bulk-upsert.ts versionColumn).
  raw_id                bigint NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, source, work_item_key, repo_full_name, pr_number)
);
CREATE INDEX work_items_prs_links_item_idx ON work_items_prs_links (tenant_id, work_item_key);
CREATE INDEX work_items_prs_links_pr_idx ON work_items_prs_links (tenant_id, repo_full_name, pr_number);
CREATE INDEX work_items_prs_links_raw_idx ON work_items_prs_links (raw_id);

-- One row per link whichever side found it, with every source that did.
CREATE VIEW pr_work_item_links WITH (security_invoker = true) AS
  SELECT tenant_id, work_item_key, repo_full_name, pr_number,
         array_agg(DISTINCT source ORDER BY source) AS sources,
         max(work_item_external_id) AS work_item_external_id,
         max(pr_external_id) AS pr_external_id,
         max(pr_status) AS pr_status
    FROM work_items_prs_links
   GROUP BY tenant_id, work_item_key, repo_full_name, pr_number;

GRANT SELECT, INSERT, UPDATE, DELETE ON work_items_prs_links TO sluice_tenant;
GRANT SELECT ON pr_work_item_links TO sluice_tenant;

ALTER TABLE work_items_prs_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY work_items_prs_links_isolation ON work_items_prs_links
  USING (tenant_id = sluice_current_tenant())
  WITH CHECK (tenant_id = sluice_current_tenant());
