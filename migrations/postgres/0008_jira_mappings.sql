-- Jira mapping configuration, per tenant AND integration (two Jira sites have different types and
-- workflows): work item type hierarchy levels and type mappings, the workflow steps with their one
-- commitment point, status mappings, discovered custom fields and the custom-field slots.
-- The transform reads a snapshot of the active rows at the start of a run (workers/connectors/jira/mappings.ts).
--
-- Names are matched case-insensitively (unique on lower(name)) and must not carry surrounding spaces,
-- so two rows can never match the same type or status. Rows that others reference are soft-deleted
-- (active = false) rather than removed: hierarchies (by type mappings), workflow steps (by status mappings).
-- sluice_seed_jira_mappings() at the end seeds a new integration, modelled on the prior system's seed.

-- Keeps updated_at honest on every UPDATE (bulk upserts rewrite only rows that changed, so this fires
-- only for real changes). Shared by later migrations.
CREATE OR REPLACE FUNCTION sluice_touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

-- A Jira field id as the API names it: `customfield_10016`, or a system field such as `components`.
CREATE DOMAIN sluice_jira_field_id AS text CHECK (VALUE ~ '^[A-Za-z0-9_.:-]{1,255}$');

CREATE TABLE wits_hierarchies (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       integer NOT NULL,
  integration_id  bigint NOT NULL,
  -- Jira's convention: 1 epic, 0 standard, -1 sub-task; higher levels above epics.
  level_number    integer NOT NULL CHECK (level_number BETWEEN -10 AND 20),
  level_name      text NOT NULL CHECK (level_name = btrim(level_name) AND length(level_name) BETWEEN 1 AND 120),
  description     text,
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  -- Lets mappings reference (id, tenant, integration): a mapping can never point at another integration's level.
  UNIQUE (id, tenant_id, integration_id)
);
CREATE UNIQUE INDEX wits_hierarchies_level_key ON wits_hierarchies (tenant_id, integration_id, level_number);
CREATE UNIQUE INDEX wits_hierarchies_name_key ON wits_hierarchies (tenant_id, integration_id, lower(level_name));

CREATE TABLE wits_mappings (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id          integer NOT NULL,
  integration_id     bigint NOT NULL,
  wit_from           text NOT NULL CHECK (wit_from = btrim(wit_from) AND length(wit_from) BETWEEN 1 AND 200),
  wit_to             text NOT NULL CHECK (wit_to = btrim(wit_to) AND length(wit_to) BETWEEN 1 AND 200),
  wits_hierarchy_id  bigint NOT NULL,
  active             boolean NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  -- No cascade: a level with mappings is deactivated (or its mappings moved), never deleted from under them.
  FOREIGN KEY (wits_hierarchy_id, tenant_id, integration_id) REFERENCES wits_hierarchies (id, tenant_id, integration_id)
);
CREATE UNIQUE INDEX wits_mappings_from_key ON wits_mappings (tenant_id, integration_id, lower(wit_from));
CREATE INDEX wits_mappings_hierarchy_idx ON wits_mappings (wits_hierarchy_id);

CREATE TABLE workflows (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id            integer NOT NULL,
  integration_id       bigint NOT NULL,
  step_name            text NOT NULL CHECK (step_name = btrim(step_name) AND length(step_name) BETWEEN 1 AND 120),
  -- The order of the flow; null for steps outside it (Discarded).
  step_number          integer CHECK (step_number BETWEEN 0 AND 1000),
  step_category        text NOT NULL CHECK (step_category IN ('To Do', 'In Progress', 'Waiting', 'Done', 'Discarded')),
  -- "Committed" means reaching this step or any later step number (flow-metrics.ts), so it needs a
  -- number, and it must stay active while it is the commitment point.
  is_commitment_point  boolean NOT NULL DEFAULT false,
  active               boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (id, tenant_id, integration_id),
  CONSTRAINT workflows_commitment_point_numbered CHECK (NOT is_commitment_point OR (step_number IS NOT NULL AND active AND step_category <> 'Discarded'))
);
CREATE UNIQUE INDEX workflows_step_key ON workflows (tenant_id, integration_id, lower(step_name));
-- At most one commitment point per tenant + integration ...
CREATE UNIQUE INDEX workflows_one_commitment_point ON workflows (tenant_id, integration_id) WHERE is_commitment_point;

-- ... and at least one while the integration has active steps, checked at commit so that moving the
-- commitment point (unset the old step, set the new one) works in one transaction in either order.
CREATE FUNCTION workflows_commitment_point_check() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_tenant integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  v_integration bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.integration_id ELSE NEW.integration_id END;
  v_steps integer;
  v_points integer;
BEGIN
  SELECT count(*) FILTER (WHERE active), count(*) FILTER (WHERE is_commitment_point)
    INTO v_steps, v_points
    FROM workflows WHERE tenant_id = v_tenant AND integration_id = v_integration;
  IF v_steps > 0 AND v_points <> 1 THEN
    RAISE EXCEPTION 'Integration % has % commitment points among its % active workflow steps; exactly one step must be the commitment point. Set is_commitment_point on one numbered step (in the same transaction that unsets the old one).', v_integration, v_points, v_steps
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER workflows_exactly_one_commitment_point
  AFTER INSERT OR UPDATE OR DELETE ON workflows
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION workflows_commitment_point_check();

CREATE TABLE statuses_mappings (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id        integer NOT NULL,
  integration_id   bigint NOT NULL,
  status_from      text NOT NULL CHECK (status_from = btrim(status_from) AND length(status_from) BETWEEN 1 AND 200),
  workflow_id      bigint NOT NULL,
  -- The status's category in the tenant's flow (starts, completions, discards are decided on it).
  status_category  text NOT NULL CHECK (status_category IN ('To Do', 'In Progress', 'Waiting', 'Done', 'Discarded')),
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  FOREIGN KEY (workflow_id, tenant_id, integration_id) REFERENCES workflows (id, tenant_id, integration_id)
);
CREATE UNIQUE INDEX statuses_mappings_from_key ON statuses_mappings (tenant_id, integration_id, lower(status_from));
CREATE INDEX statuses_mappings_workflow_idx ON statuses_mappings (workflow_id);

-- Every field of the site, as discovered by the `fields` stream (loaded rows: raw_id is their lineage).
CREATE TABLE custom_fields (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       integer NOT NULL,
  integration_id  bigint NOT NULL,
  external_id     sluice_jira_field_id NOT NULL,
  name            text NOT NULL,
  field_type      text,
  custom          boolean NOT NULL DEFAULT true,
  schema          jsonb,
  active          boolean NOT NULL DEFAULT true,
  raw_id          bigint NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id, external_id)
);
CREATE INDEX custom_fields_raw_idx ON custom_fields (raw_id);

-- Which field feeds each special column and slot of work_items. Field ids, not foreign keys: an
-- operator may map a field before the `fields` stream has discovered it. A special field left null
-- is recognised from the issue search's schema (workers/connectors/jira/transform/custom-fields.ts).
CREATE TABLE custom_fields_mappings (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id            integer NOT NULL,
  integration_id       bigint NOT NULL,
  team_field           sluice_jira_field_id,
  sprints_field        sluice_jira_field_id,
  development_field    sluice_jira_field_id,
  story_points_field   sluice_jira_field_id,
  custom_field_01 sluice_jira_field_id, custom_field_02 sluice_jira_field_id, custom_field_03 sluice_jira_field_id,
  custom_field_04 sluice_jira_field_id, custom_field_05 sluice_jira_field_id, custom_field_06 sluice_jira_field_id,
  custom_field_07 sluice_jira_field_id, custom_field_08 sluice_jira_field_id, custom_field_09 sluice_jira_field_id,
  custom_field_10 sluice_jira_field_id, custom_field_11 sluice_jira_field_id, custom_field_12 sluice_jira_field_id,
  custom_field_13 sluice_jira_field_id, custom_field_14 sluice_jira_field_id, custom_field_15 sluice_jira_field_id,
  custom_field_16 sluice_jira_field_id, custom_field_17 sluice_jira_field_id, custom_field_18 sluice_jira_field_id,
  custom_field_19 sluice_jira_field_id, custom_field_20 sluice_jira_field_id,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  UNIQUE (tenant_id, integration_id)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['wits_hierarchies', 'wits_mappings', 'workflows', 'statuses_mappings', 'custom_fields', 'custom_fields_mappings'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION sluice_touch_updated_at()', t || '_touch', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sluice_tenant', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant())', t || '_isolation', t);
  END LOOP;
END $$;

-- Seeds the default mappings of a new Jira integration, modelled on the prior system's seed
-- (reference prior-system.md 1.4-1.7) plus the type and status names of the simulator's demo site:
-- six hierarchy levels, type mappings, twelve workflow steps with "To Do" as the commitment point,
-- status mappings, and an empty custom-field mapping row (special fields are then recognised from the
-- search schema). Each table is seeded only while the integration has no rows in it, so calling it
-- again changes nothing and never brings back what an operator deleted or overwrites what they edited.
-- Returns the number of rows it inserted.
CREATE FUNCTION sluice_seed_jira_mappings(p_tenant integer, p_integration bigint) RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_inserted integer := 0;
  v_n integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM integrations WHERE id = p_integration AND tenant_id = p_tenant AND provider = 'jira') THEN
    RAISE EXCEPTION 'Integration % of tenant % does not exist or is not a Jira integration; seed mappings only for Jira integrations.', p_integration, p_tenant
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  -- Two engines starting together seed once.
  PERFORM pg_advisory_xact_lock(hashtextextended('sluice_seed_jira_mappings:' || p_integration, 0));

  IF NOT EXISTS (SELECT 1 FROM wits_hierarchies WHERE tenant_id = p_tenant AND integration_id = p_integration) THEN
    INSERT INTO wits_hierarchies (tenant_id, integration_id, level_number, level_name, description)
    SELECT p_tenant, p_integration, l.n, l.name, l.description
      FROM (VALUES
        (4, 'Capital Investment', 'Funding-level investment themes'),
        (3, 'Product Objective', 'Objectives a product pursues over quarters'),
        (2, 'Milestone', 'Initiatives and milestones grouping epics'),
        (1, 'Epic', 'Large bodies of work split into stories'),
        (0, 'Story', 'Standard work items: stories, tasks, bugs'),
        (-1, 'Sub-task', 'Parts of a standard work item')) AS l (n, name, description)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_inserted := v_inserted + v_n;
  END IF;

  IF NOT EXISTS (SELECT 1 FROM wits_mappings WHERE tenant_id = p_tenant AND integration_id = p_integration) THEN
    INSERT INTO wits_mappings (tenant_id, integration_id, wit_from, wit_to, wits_hierarchy_id)
    SELECT p_tenant, p_integration, m.wit_from, m.wit_to, h.id
      FROM (VALUES
        ('Capital Investment', 'Capital Investment', 4),
        ('Product Objective', 'Product Objective', 3),
        ('Milestone', 'Milestone', 2),
        ('Initiative', 'Initiative', 2),
        ('Epic', 'Epic', 1),
        ('Feature', 'Epic', 1),
        ('Épopée', 'Epic', 1),
        ('User Story', 'Story', 0),
        ('Story', 'Story', 0),
        ('Devops Story', 'Tech Enhancement', 0),
        ('Tech Debt', 'Tech Enhancement', 0),
        ('Performance', 'Tech Enhancement', 0),
        ('Security Remediation', 'Tech Enhancement', 0),
        ('Tech Enhancement', 'Tech Enhancement', 0),
        ('Task', 'Task', 0),
        ('Tâche', 'Task', 0),
        ('UAT', 'Task', 0),
        ('Unparented Tasks', 'Task', 0),
        ('Shared Steps', 'Task', 0),
        ('Educational Services', 'Task', 0),
        ('Impediment', 'Task', 0),
        ('Requirement', 'Task', 0),
        ('Shared Parameter', 'Task', 0),
        ('Bug', 'Bug', 0),
        ('Work item', 'Incident', 0),
        ('Incident', 'Incident', 0),
        ('Spike', 'Spike', 0),
        ('Defect', 'Defect', -1),
        ('Sprint Work item', 'Defect', -1),
        ('Sub-task', 'Sub-task', -1),
        ('Subtask', 'Sub-task', -1),
        ('Approval', 'Approval', -1)) AS m (wit_from, wit_to, level)
      JOIN wits_hierarchies h ON h.tenant_id = p_tenant AND h.integration_id = p_integration AND h.level_number = m.level
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_inserted := v_inserted + v_n;
  END IF;

  IF NOT EXISTS (SELECT 1 FROM workflows WHERE tenant_id = p_tenant AND integration_id = p_integration) THEN
    INSERT INTO workflows (tenant_id, integration_id, step_name, step_number, step_category, is_commitment_point)
    SELECT p_tenant, p_integration, w.name, w.n, w.category, w.commitment
      FROM (VALUES
        ('Backlog', 1, 'To Do', false),
        ('Refinement', 2, 'To Do', false),
        ('Ready to Work', 3, 'To Do', false),
        ('To Do', 4, 'To Do', true),
        ('In Progress', 5, 'In Progress', false),
        ('Ready for Story Testing', 6, 'Waiting', false),
        ('Story Testing', 7, 'In Progress', false),
        ('Ready for Acceptance', 8, 'Waiting', false),
        ('Acceptance Testing', 9, 'In Progress', false),
        ('Ready for Prod', 10, 'Waiting', false),
        ('Done', 11, 'Done', false),
        ('Discarded', NULL, 'Discarded', false)) AS w (name, n, category, commitment)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_inserted := v_inserted + v_n;
  END IF;

  IF NOT EXISTS (SELECT 1 FROM statuses_mappings WHERE tenant_id = p_tenant AND integration_id = p_integration) THEN
    -- The status takes its step's category: a status mapped to "Blocked" work stays In Progress, as in the prior seed.
    INSERT INTO statuses_mappings (tenant_id, integration_id, status_from, workflow_id, status_category)
    SELECT p_tenant, p_integration, s.status_from, w.id, w.step_category
      FROM (VALUES
        ('Backlog', 'Backlog'), ('New', 'Backlog'), ('Open', 'Backlog'), ('Created', 'Backlog'),
        ('Refinement', 'Refinement'), ('In Refinement', 'Refinement'), ('Needs Refinement', 'Refinement'), ('Ready for Refinement', 'Refinement'),
        ('Grooming', 'Refinement'), ('Analysis', 'Refinement'), ('In Analysis', 'Refinement'), ('Discovery', 'Refinement'),
        ('Design', 'Refinement'), ('Triage', 'Refinement'), ('Needs Info', 'Refinement'),
        ('Ready to Work', 'Ready to Work'), ('Ready', 'Ready to Work'), ('Ready for Development', 'Ready to Work'), ('Ready for Dev', 'Ready to Work'),
        ('Groomed', 'Ready to Work'), ('Refined', 'Ready to Work'), ('Estimated', 'Ready to Work'),
        ('To Do', 'To Do'), ('Selected for Development', 'To Do'), ('Committed', 'To Do'), ('Planned', 'To Do'),
        ('In Progress', 'In Progress'), ('In Development', 'In Progress'), ('Development', 'In Progress'), ('Dev', 'In Progress'),
        ('Doing', 'In Progress'), ('Work in Progress', 'In Progress'), ('Implementing', 'In Progress'), ('Code Review', 'In Progress'),
        ('In Review', 'In Progress'), ('Review', 'In Progress'), ('Peer Review', 'In Progress'), ('PR Review', 'In Progress'),
        ('Blocked', 'In Progress'), ('On Hold', 'In Progress'), ('Impeded', 'In Progress'), ('Reopened', 'In Progress'),
        ('In Fix', 'In Progress'), ('Fixing', 'In Progress'), ('Rework', 'In Progress'), ('Investigating', 'In Progress'),
        ('Ready for Story Testing', 'Ready for Story Testing'), ('Ready for Testing', 'Ready for Story Testing'), ('Ready for QA', 'Ready for Story Testing'),
        ('Ready for Test', 'Ready for Story Testing'), ('Awaiting QA', 'Ready for Story Testing'), ('Dev Complete', 'Ready for Story Testing'),
        ('Story Testing', 'Story Testing'), ('Testing', 'Story Testing'), ('In Testing', 'Story Testing'), ('QA', 'Story Testing'),
        ('In QA', 'Story Testing'), ('QA / Recette', 'Story Testing'), ('Recette', 'Story Testing'), ('Verification', 'Story Testing'), ('In Test', 'Story Testing'),
        ('Ready for Acceptance', 'Ready for Acceptance'), ('Ready for UAT', 'Ready for Acceptance'), ('Awaiting Acceptance', 'Ready for Acceptance'),
        ('Ready for Review', 'Ready for Acceptance'), ('QA Complete', 'Ready for Acceptance'),
        ('Acceptance Testing', 'Acceptance Testing'), ('UAT', 'Acceptance Testing'), ('In UAT', 'Acceptance Testing'), ('Acceptance', 'Acceptance Testing'),
        ('User Acceptance', 'Acceptance Testing'), ('Demo', 'Acceptance Testing'), ('Validation', 'Acceptance Testing'), ('Product Review', 'Acceptance Testing'),
        ('Stakeholder Review', 'Acceptance Testing'), ('Business Review', 'Acceptance Testing'), ('Sign-off', 'Acceptance Testing'),
        ('Ready for Prod', 'Ready for Prod'), ('Ready for Production', 'Ready for Prod'), ('Ready for Release', 'Ready for Prod'), ('Ready to Release', 'Ready for Prod'),
        ('Ready to Deploy', 'Ready for Prod'), ('Ready for Deployment', 'Ready for Prod'), ('Prêt à déployer', 'Ready for Prod'), ('Resolved', 'Ready for Prod'),
        ('Deployed to Staging', 'Ready for Prod'), ('Awaiting Release', 'Ready for Prod'), ('Staged', 'Ready for Prod'), ('Merged', 'Ready for Prod'),
        ('Release Candidate', 'Ready for Prod'), ('Pending Release', 'Ready for Prod'), ('Approved', 'Ready for Prod'),
        ('Done', 'Done'), ('Closed', 'Done'), ('Released', 'Done'), ('Deployed', 'Done'), ('Complete', 'Done'), ('Completed', 'Done'),
        ('Finished', 'Done'), ('Shipped', 'Done'), ('Live', 'Done'),
        ('Discarded', 'Discarded'), ('Cancelled', 'Discarded'), ('Canceled', 'Discarded'), ('Rejected', 'Discarded'),
        ('Won''t Do', 'Discarded'), ('Won''t Fix', 'Discarded'), ('Duplicate', 'Discarded'), ('Abandoned', 'Discarded'), ('Obsolete', 'Discarded')) AS s (status_from, step)
      JOIN workflows w ON w.tenant_id = p_tenant AND w.integration_id = p_integration AND lower(w.step_name) = lower(s.step) AND w.active
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_inserted := v_inserted + v_n;
  END IF;

  INSERT INTO custom_fields_mappings (tenant_id, integration_id) VALUES (p_tenant, p_integration) ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_inserted + v_n;
END $$;

GRANT EXECUTE ON FUNCTION sluice_seed_jira_mappings(integer, bigint) TO sluice_tenant;
