-- Jobs, run history extras, run logs and retention (DESIGN.md section 5; issue 7).
--
-- A job belongs to one integration and runs its connector's plan (the ordered steps of
-- shared/connectors): the steps are the plan's, not stored here, because later steps are partitioned
-- by the pages of earlier ones (issues by projects), so a subset would leave streams without producers.
-- It has a schedule (interval or cron with timezone, validated by the engine), a retry policy and an
-- active flag. `next_run_at` is computed by the engine and stored, so every console shows the same
-- countdown and a scheduler claims a due job with one guarded UPDATE (`... WHERE next_run_at = $old`):
-- two engines racing for the same tick get one winner.
--
-- Config and history tables have no raw_id: nothing in them was loaded from a raw unit.

CREATE TABLE jobs (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id            integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  integration_id       bigint NOT NULL,
  name                 text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  -- What a scheduled or "run now" run of this job does (full refresh on demand needs a confirmation).
  run_kind             text NOT NULL DEFAULT 'incremental' CHECK (run_kind IN ('incremental', 'full_refresh')),
  -- {"type":"interval","everyMinutes":60} | {"type":"cron","expression":"0 6 * * 1-5","timezone":"Europe/Paris"}; NULL = manual only.
  schedule             jsonb CHECK (schedule IS NULL OR schedule->>'type' IN ('interval', 'cron')),
  -- {"maxRetries":3,"backoffMinutes":15}: a failed run is retried after backoff * 2^(n-1) minutes, n = 1..maxRetries.
  retry_policy         jsonb NOT NULL DEFAULT '{"maxRetries":3,"backoffMinutes":15}'::jsonb,
  active               boolean NOT NULL DEFAULT true,
  next_run_at          timestamptz,
  -- The failed run whose retry was claimed last: each failure is retried once, by one engine.
  last_retried_run_id  bigint,
  -- Why the last scheduled or retry start did not happen (integration inactive, a run still active), shown on the job card.
  last_error           jsonb,
  created_by           text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT jobs_id_tenant_key UNIQUE (id, tenant_id),
  CONSTRAINT jobs_integration_fk FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  CONSTRAINT jobs_next_run_when_scheduled CHECK (schedule IS NOT NULL OR next_run_at IS NULL)
);
CREATE UNIQUE INDEX jobs_name_key ON jobs (tenant_id, integration_id, lower(name));
CREATE INDEX jobs_due_idx ON jobs (next_run_at) WHERE active AND next_run_at IS NOT NULL;

ALTER TABLE runs
  -- A job's runs keep their history when the job is deleted (only job_id is cleared).
  ADD CONSTRAINT runs_job_fk FOREIGN KEY (job_id, tenant_id) REFERENCES jobs (id, tenant_id) ON DELETE SET NULL (job_id),
  -- resume and rerun_failed runs continue another run: the one whose checkpoints or failed units they took over.
  ADD COLUMN source_run_id bigint REFERENCES runs (id) ON DELETE SET NULL,
  -- When the engine last republished the run's open work (recovery, or the sweep of runs without activity).
  ADD COLUMN republished_at timestamptz;
CREATE INDEX runs_job_idx ON runs (job_id, created_at DESC) WHERE job_id IS NOT NULL;
CREATE INDEX runs_tenant_created_idx ON runs (tenant_id, created_at DESC, id DESC);

-- Guard: an integration cannot be deactivated while one of its runs is live (issue 7). The engine's
-- integrations API checks first and says so; this trigger closes the race where a run starts while the
-- deactivation is deciding: run starts lock the integration FOR SHARE, so the deactivating UPDATE waits
-- for them, and the check below then runs with a fresh snapshot (a plpgsql statement in READ COMMITTED)
-- that sees the committed run. SQLSTATE 55006 (object_in_use) lets callers map it to a conflict.
CREATE FUNCTION sluice_integration_deactivation_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_run bigint;
BEGIN
  IF OLD.active AND NOT NEW.active THEN
    SELECT id INTO v_run FROM runs WHERE integration_id = OLD.id AND state IN ('queued', 'running', 'paused', 'rate_limited') LIMIT 1;
    IF v_run IS NOT NULL THEN
      RAISE EXCEPTION 'Integration "%" has run % in progress, so it cannot be deactivated; let it finish or cancel it, then try again.', OLD.name, v_run
        USING ERRCODE = 'object_in_use';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER integrations_deactivation_guard BEFORE UPDATE OF active ON integrations
  FOR EACH ROW EXECUTE FUNCTION sluice_integration_deactivation_guard();

-- A partition a rerun_failed run opened again at the page that failed in an earlier run (that unit's id),
-- so the same failed page is re-extracted once, not by every later rerun.
ALTER TABLE run_partitions ADD COLUMN reopened_from bigint REFERENCES raw_extraction_data (id) ON DELETE SET NULL;
CREATE INDEX run_partitions_reopened_idx ON run_partitions (reopened_from) WHERE reopened_from IS NOT NULL;

-- Run logs: structured, per step, bounded per run (sluice_append_run_log keeps the newest 5000).
-- Written by the engine (controls, recovery, scheduling, unit failures it observes, the run's end),
-- never per record.
CREATE TABLE run_logs (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  integer NOT NULL,
  run_id     bigint NOT NULL,
  step       text CHECK (step IS NULL OR length(step) BETWEEN 1 AND 200),
  level      text NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message    text NOT NULL CHECK (length(message) BETWEEN 1 AND 2000),
  data       jsonb,
  at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (run_id, tenant_id) REFERENCES runs (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX run_logs_run_idx ON run_logs (run_id, id);
CREATE INDEX run_logs_at_idx ON run_logs (tenant_id, at);

CREATE FUNCTION sluice_append_run_log(p_run bigint, p_step text, p_level text, p_message text, p_data jsonb) RETURNS bigint
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_id bigint;
  v_cut bigint;
BEGIN
  INSERT INTO run_logs (tenant_id, run_id, step, level, message, data)
  SELECT r.tenant_id, r.id, p_step, p_level, left(p_message, 2000), p_data FROM runs r WHERE r.id = p_run
  RETURNING id INTO v_id;
  -- Bounded: every 100th line of a run, drop what is older than its newest 5000.
  IF v_id IS NOT NULL AND v_id % 100 = 0 THEN
    SELECT id INTO v_cut FROM run_logs WHERE run_id = p_run ORDER BY id DESC OFFSET 5000 LIMIT 1;
    IF v_cut IS NOT NULL THEN
      DELETE FROM run_logs WHERE run_id = p_run AND id <= v_cut;
    END IF;
  END IF;
  RETURN v_id;
END $$;

-- Retention per tenant, in days; NULL keeps forever. Raw data is kept by default (re-transform and
-- lineage need it): deleting it is an explicit choice. A run is deleted only once it has no raw unit
-- left, since its raw units (and with them the unified rows' lineage) cascade from it.
CREATE TABLE retention_settings (
  tenant_id   integer PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  runs_days   integer CHECK (runs_days IS NULL OR runs_days BETWEEN 1 AND 36500),
  logs_days   integer DEFAULT 90 CHECK (logs_days IS NULL OR logs_days BETWEEN 1 AND 36500),
  raw_days    integer CHECK (raw_days IS NULL OR raw_days BETWEEN 1 AND 36500),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO sluice_tenant;
GRANT SELECT, INSERT, DELETE ON run_logs TO sluice_tenant;
GRANT SELECT, INSERT, UPDATE ON retention_settings TO sluice_tenant;
-- Cancel drops the run's unsent outbox rows.
GRANT SELECT, DELETE ON queue_outbox TO sluice_tenant;
GRANT EXECUTE ON FUNCTION sluice_append_run_log(bigint, text, text, text, jsonb), sluice_run_counters(bigint), sluice_try_complete_run(bigint) TO sluice_tenant;

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY jobs_isolation ON jobs USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
ALTER TABLE run_logs ENABLE ROW LEVEL SECURITY;
CREATE POLICY run_logs_isolation ON run_logs USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
ALTER TABLE retention_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY retention_settings_isolation ON retention_settings USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
