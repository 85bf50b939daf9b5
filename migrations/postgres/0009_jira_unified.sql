-- The unified model the Jira connector loads (workers/connectors/jira/load.ts; row shapes in
-- workers/connectors/jira/transform/rows.ts).
--
-- Every table: tenant_id + integration_id, a natural unique key (Jira ids, so loads are upserts and a
-- redelivered unit duplicates nothing), raw_id = the raw unit the row came from (lineage, and the
-- version: a row is only replaced by one from the same or a newer unit), row-level security.
-- Rows reference each other by natural keys (project id/key, issue type id, status id, issue id,
-- sprint id), never by surrogate ids looked up at load time, so an issue page may load before its
-- project page, a sprint before its issues, in any order the stages finish.

CREATE TABLE projects (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       integer NOT NULL,
  integration_id  bigint NOT NULL,
  external_id     text NOT NULL,
  key             text NOT NULL,
  name            text NOT NULL,
  project_type    text,
  simplified      boolean,
  style           text,
  raw_id          bigint NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);
CREATE INDEX projects_key_idx ON projects (tenant_id, integration_id, key);

-- Work item types, with their mapping (wits_mappings) applied when loaded: wit_mapped = false keeps an
-- unmapped type visible instead of dropping it.
CREATE TABLE wits (
  id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id                  integer NOT NULL,
  integration_id             bigint NOT NULL,
  external_id                text NOT NULL,
  original_name              text NOT NULL,
  description                text,
  jira_hierarchy_level       integer NOT NULL,
  subtask                    boolean NOT NULL,
  -- Team-managed projects own their types.
  scope_project_external_id  text,
  wit_to                     text,
  hierarchy_level            integer,
  hierarchy_name             text,
  wit_mapped                 boolean NOT NULL,
  raw_id                     bigint NOT NULL,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);

CREATE TABLE projects_wits (
  tenant_id            integer NOT NULL,
  integration_id       bigint NOT NULL,
  project_external_id  text NOT NULL,
  wit_external_id      text NOT NULL,
  raw_id               bigint NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, integration_id, project_external_id, wit_external_id)
);

CREATE TABLE statuses (
  id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id                  integer NOT NULL,
  integration_id             bigint NOT NULL,
  external_id                text NOT NULL,
  original_name              text NOT NULL,
  description                text,
  jira_category              text,
  jira_category_key          text,
  scope_project_external_id  text,
  workflow_step              text,
  workflow_step_number       integer,
  workflow_category          text NOT NULL CHECK (workflow_category IN ('To Do', 'In Progress', 'Waiting', 'Done', 'Discarded')),
  status_mapped              boolean NOT NULL,
  raw_id                     bigint NOT NULL,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);

-- Which statuses each issue type of a project uses (GET /project/{key}/statuses, keyed by project key).
CREATE TABLE projects_statuses (
  tenant_id           integer NOT NULL,
  integration_id      bigint NOT NULL,
  project_key         text NOT NULL,
  wit_external_id     text NOT NULL,
  status_external_id  text NOT NULL,
  raw_id              bigint NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, integration_id, project_key, wit_external_id, status_external_id)
);

CREATE TABLE work_items (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id             integer NOT NULL,
  integration_id        bigint NOT NULL,
  external_id           text NOT NULL,
  key                   text NOT NULL,
  project_external_id   text NOT NULL,
  project_key           text NOT NULL,
  summary               text,
  -- Plain text (from ADF in API v3).
  description           text,
  wit_external_id       text NOT NULL,
  wit_name              text NOT NULL,
  wit_to                text,
  hierarchy_level       integer,
  wit_mapped            boolean NOT NULL,
  status_external_id    text NOT NULL,
  status_name           text NOT NULL,
  jira_status_category  text,
  workflow_step         text,
  workflow_step_number  integer,
  workflow_category     text NOT NULL CHECK (workflow_category IN ('To Do', 'In Progress', 'Waiting', 'Done', 'Discarded')),
  status_mapped         boolean NOT NULL,
  priority              text,
  assignee              text,
  assignee_account_id   text,
  reporter              text,
  labels                text[] NOT NULL DEFAULT '{}',
  components            text[] NOT NULL DEFAULT '{}',
  parent_external_id    text,
  parent_key            text,
  resolution            text,
  -- Jira's own timestamps (the row's are created_at / updated_at).
  created               timestamptz NOT NULL,
  updated               timestamptz NOT NULL,
  resolution_date       timestamptz,
  due_date              text,
  team                  text,
  story_points          double precision,
  development           boolean NOT NULL,
  custom_field_01 text, custom_field_02 text, custom_field_03 text, custom_field_04 text, custom_field_05 text,
  custom_field_06 text, custom_field_07 text, custom_field_08 text, custom_field_09 text, custom_field_10 text,
  custom_field_11 text, custom_field_12 text, custom_field_13 text, custom_field_14 text, custom_field_15 text,
  custom_field_16 text, custom_field_17 text, custom_field_18 text, custom_field_19 text, custom_field_20 text,
  -- Flow metrics from the whole changelog (definitions: workers/connectors/jira/transform/flow-metrics.ts).
  first_committed_at    timestamptz,
  first_started_at      timestamptz,
  last_started_at       timestamptz,
  first_completed_at    timestamptz,
  last_completed_at     timestamptz,
  work_starts           integer NOT NULL,
  completions           integer NOT NULL,
  backlog_returns       integer NOT NULL,
  rework_count          integer NOT NULL,
  cycle_time_seconds    bigint,
  lead_time_seconds     bigint,
  -- Seconds per workflow step over closed intervals; the current step's time runs from current_step_since.
  time_in_steps         jsonb NOT NULL,
  current_step_since    timestamptz NOT NULL,
  discarded             boolean NOT NULL,
  unmapped_statuses     text[] NOT NULL DEFAULT '{}',
  raw_id                bigint NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);
-- Keys are not unique: an issue moved to another project gets a new key, and the old one is never reused.
CREATE INDEX work_items_key_idx ON work_items (tenant_id, key);
CREATE INDEX work_items_project_idx ON work_items (tenant_id, integration_id, project_key);
CREATE INDEX work_items_parent_idx ON work_items (tenant_id, integration_id, parent_key);
CREATE INDEX work_items_updated_idx ON work_items (tenant_id, integration_id, updated);

-- Status transitions only (one row per status item of a changelog history).
CREATE TABLE changelogs (
  id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id                integer NOT NULL,
  integration_id           bigint NOT NULL,
  work_item_external_id    text NOT NULL,
  work_item_key            text NOT NULL,
  history_id               text NOT NULL,
  item_index               integer NOT NULL CHECK (item_index >= 0),
  from_status_external_id  text,
  from_status_name         text,
  to_status_external_id    text NOT NULL,
  to_status_name           text,
  from_step                text,
  to_step                  text,
  from_category            text,
  to_category              text NOT NULL,
  transition_start         timestamptz NOT NULL,
  transition_end           timestamptz NOT NULL,
  time_in_status_seconds   bigint NOT NULL CHECK (time_in_status_seconds >= 0),
  changed_by               text,
  changed_by_account_id    text,
  raw_id                   bigint NOT NULL,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, work_item_external_id, history_id, item_index)
);
CREATE INDEX changelogs_key_idx ON changelogs (tenant_id, work_item_key);

CREATE TABLE sprints (
  id                                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id                          integer NOT NULL,
  integration_id                     bigint NOT NULL,
  external_id                        text NOT NULL,
  name                               text NOT NULL,
  state                              text,
  goal                               text,
  board_external_id                  text,
  created_date                       timestamptz,
  start_date                         timestamptz,
  end_date                           timestamptz,
  complete_date                      timestamptz,
  -- The sprint report's figures (null when the board had no report).
  has_report                         boolean NOT NULL,
  completed_estimate                 double precision,
  not_completed_estimate             double precision,
  punted_estimate                    double precision,
  total_estimate                     double precision,
  completion_percentage              double precision,
  velocity                           double precision,
  completed_count                    integer,
  not_completed_count                integer,
  punted_count                       integer,
  completed_in_another_sprint_count  integer,
  scope_change_count                 integer,
  carry_over_count                   integer,
  -- Per issue id: {key, outcome, addedDuringSprint, estimateAtStart, estimateAtEnd}; feeds work_items_sprints.
  report_issues                      jsonb,
  raw_id                             bigint NOT NULL,
  created_at                         timestamptz NOT NULL DEFAULT now(),
  updated_at                         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);

-- An issue's membership of a sprint. The first columns come from the issue (its sprint field and
-- that field's changelog; raw_id is the issue's unit); the outcome columns are derived from the
-- sprint's report by load, whichever of the two units loads last (see load.ts, fillSprintOutcomes).
CREATE TABLE work_items_sprints (
  id                           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id                    integer NOT NULL,
  integration_id               bigint NOT NULL,
  work_item_external_id        text NOT NULL,
  work_item_key                text NOT NULL,
  sprint_external_id           text NOT NULL,
  sprint_name                  text,
  added_at                     timestamptz NOT NULL,
  removed_at                   timestamptz,
  in_sprint                    boolean NOT NULL,
  carried_over_from_sprint_id  text,
  carried_over_to_sprint_id    text,
  -- From the sprint report: completed / not_completed / punted / completed_another_sprint.
  sprint_outcome               text CHECK (sprint_outcome IN ('completed', 'not_completed', 'punted', 'completed_another_sprint')),
  -- Added after the sprint started (the report's list when there is one, else added_at > start).
  added_during_sprint          boolean,
  -- In the sprint when it started: not added during it, and not removed before its start.
  committed                    boolean,
  estimate_at_start            double precision,
  estimate_at_end              double precision,
  raw_id                       bigint NOT NULL,
  created_at                   timestamptz NOT NULL DEFAULT now(),
  updated_at                   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, work_item_external_id, sprint_external_id)
);
CREATE INDEX work_items_sprints_sprint_idx ON work_items_sprints (tenant_id, integration_id, sprint_external_id);

-- The newest raw unit that replaced each replaceable set (an issue's changelog, its sprint
-- associations, its dev-status links, a project's issue types or statuses). Load checks it before it
-- writes a set: a unit older than the stored one is stale and writes nothing of that set, so an old
-- page that loads late can neither delete newer rows nor bring back rows a newer unit removed.
CREATE TABLE unified_set_versions (
  tenant_id       integer NOT NULL,
  integration_id  bigint NOT NULL,
  set_table       text NOT NULL,
  set_key         text NOT NULL,
  raw_id          bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, integration_id, set_table, set_key)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['projects', 'wits', 'projects_wits', 'statuses', 'projects_statuses', 'work_items', 'changelogs', 'sprints', 'work_items_sprints'] LOOP
    -- Lineage, both ways: the raw inspector lists a unit's rows.
    EXECUTE format('CREATE INDEX %I ON %I (raw_id)', t || '_raw_idx', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION sluice_touch_updated_at()', t || '_touch', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['projects', 'wits', 'projects_wits', 'statuses', 'projects_statuses', 'work_items', 'changelogs', 'sprints', 'work_items_sprints', 'unified_set_versions'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sluice_tenant', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant())', t || '_isolation', t);
  END LOOP;
END $$;
