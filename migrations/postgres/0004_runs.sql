-- Runs and their steps, and the accounting that decides when a run is finished.
--
-- Completion is counted, not guessed (DESIGN.md section 4): a run is finished when every step's
-- extraction is done and no raw unit of the run is still pending in any stage. The check is one SQL
-- function that any worker calls after committing its unit; `UPDATE ... WHERE state = 'running'`
-- makes exactly one caller win, and whichever unit commits last is guaranteed to see all the others.
-- Live counters are derived from raw_extraction_data (nothing is rewritten per record); the final
-- figures are snapshotted into run_steps when the run ends, so history survives raw-data retention.
--
-- job_id stays a plain column until the jobs migration adds the table and its foreign key.

CREATE TABLE runs (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id           integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  integration_id      bigint NOT NULL,
  job_id              bigint,
  kind                text NOT NULL CHECK (kind IN ('incremental', 'full_refresh', 'retransform', 'resume', 'rerun_failed')),
  trigger             text NOT NULL CHECK (trigger IN ('manual', 'schedule', 'retry')),
  started_by          text,
  state               text NOT NULL DEFAULT 'queued'
                      CHECK (state IN ('queued', 'running', 'paused', 'rate_limited', 'succeeded', 'partial', 'failed', 'cancelled')),
  rate_limited_until  timestamptz,
  error               jsonb,
  created_at          timestamptz NOT NULL DEFAULT now(),
  started_at          timestamptz,
  finished_at         timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT runs_id_tenant_key UNIQUE (id, tenant_id),
  CONSTRAINT runs_integration_fk FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE,
  CONSTRAINT runs_finished_when_terminal CHECK ((state IN ('succeeded', 'partial', 'failed', 'cancelled')) = (finished_at IS NOT NULL))
);
CREATE INDEX runs_integration_idx ON runs (tenant_id, integration_id, created_at DESC);
CREATE INDEX runs_active_idx ON runs (state) WHERE state IN ('queued', 'running', 'paused', 'rate_limited');

CREATE TABLE run_steps (
  run_id              bigint NOT NULL,
  tenant_id           integer NOT NULL,
  step                text NOT NULL CHECK (length(step) BETWEEN 1 AND 200),
  ordinal             integer NOT NULL CHECK (ordinal >= 0),
  -- Set once, when the step's paginator reached its end: no more units will be extracted.
  extraction_done_at  timestamptz,
  -- Where extraction resumes after pause / rate limit / crash (cursor, page token, per-partition state).
  checkpoint          jsonb,
  -- Final figures, written when the run ends (live figures come from sluice_run_counters).
  final_counters      jsonb,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, step),
  UNIQUE (run_id, ordinal),
  FOREIGN KEY (run_id, tenant_id) REFERENCES runs (id, tenant_id) ON DELETE CASCADE
);

ALTER TABLE raw_extraction_data
  ADD CONSTRAINT raw_extraction_data_run_fk FOREIGN KEY (run_id, tenant_id) REFERENCES runs (id, tenant_id) ON DELETE CASCADE;

-- Live counters of a run, per step, from its raw units. Records are counted through record_count;
-- failed counts units (a failed page has no reliable record count of what failed).
CREATE FUNCTION sluice_run_counters(p_run bigint)
  RETURNS TABLE (step text, units bigint, extracted bigint, transformed bigint, loaded bigint, failed bigint, skipped bigint, pending bigint)
  LANGUAGE sql STABLE
  AS $$
    SELECT s.step,
           count(d.id),
           coalesce(sum(d.record_count), 0),
           coalesce(sum(d.record_count) FILTER (WHERE d.status IN ('transformed', 'loaded')), 0),
           coalesce(sum(d.record_count) FILTER (WHERE d.status = 'loaded'), 0),
           count(d.id) FILTER (WHERE d.status = 'failed'),
           count(d.id) FILTER (WHERE d.status = 'skipped'),
           count(d.id) FILTER (WHERE d.status IN ('pending', 'transformed'))
      FROM run_steps s
      LEFT JOIN raw_extraction_data d ON d.run_id = s.run_id AND d.step = s.step AND d.tenant_id = s.tenant_id
     WHERE s.run_id = p_run
     GROUP BY s.step, s.ordinal
     ORDER BY s.ordinal
  $$;

-- Finishes the run if, and only if, it is done; returns the terminal state it set, or NULL.
-- Idempotent and safe to call from every worker after every unit: only one call can win.
CREATE FUNCTION sluice_try_complete_run(p_run bigint) RETURNS text
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_state text;
BEGIN
  UPDATE runs r
     SET state = CASE WHEN EXISTS (SELECT 1 FROM raw_extraction_data d WHERE d.run_id = p_run AND d.tenant_id = r.tenant_id AND d.status = 'failed')
                      THEN 'partial' ELSE 'succeeded' END,
         finished_at = now(),
         updated_at = now()
   WHERE r.id = p_run
     AND r.state IN ('running', 'rate_limited')
     AND NOT EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = p_run AND s.extraction_done_at IS NULL)
     AND NOT EXISTS (SELECT 1 FROM raw_extraction_data d WHERE d.run_id = p_run AND d.tenant_id = r.tenant_id AND d.status IN ('pending', 'transformed'))
  RETURNING r.state INTO v_state;
  IF v_state IS NOT NULL THEN
    UPDATE run_steps s
       SET final_counters = to_jsonb(c) - 'step', updated_at = now()
      FROM sluice_run_counters(p_run) c
     WHERE s.run_id = p_run AND s.step = c.step;
  END IF;
  RETURN v_state;
END $$;

GRANT SELECT, INSERT, UPDATE ON runs, run_steps TO sluice_tenant;
GRANT EXECUTE ON FUNCTION sluice_run_counters(bigint), sluice_try_complete_run(bigint) TO sluice_tenant;

ALTER TABLE runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY runs_isolation ON runs USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
ALTER TABLE run_steps ENABLE ROW LEVEL SECURITY;
CREATE POLICY run_steps_isolation ON run_steps USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
