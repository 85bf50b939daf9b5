-- Raw extraction data: one row per API response page (or unit) exactly as the API returned it.
-- Extract writes the row, then publishes only its id; transform/load read it from here. The row is
-- the unit of work the pipeline counts: its status says how far it got, attempts/error say why not.
--
-- integration_id and run_id are plain bigint columns for now: the `integrations` and `runs` tables
-- do not exist yet. The migration that creates them adds the foreign keys.

CREATE TABLE raw_extraction_data (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  integration_id  bigint NOT NULL,           -- FK to integrations(id) once that table exists
  run_id          bigint NOT NULL,           -- FK to runs(id) once that table exists
  step            text NOT NULL CHECK (length(step) BETWEEN 1 AND 200),
  stream          text NOT NULL CHECK (length(stream) BETWEEN 1 AND 200),
  request_url     text NOT NULL,
  request_params  jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The parent record for child streams (e.g. the issue key of a changelog page, a repo of a PR page).
  parent_key      text,
  payload         jsonb NOT NULL,
  payload_bytes   integer NOT NULL CHECK (payload_bytes >= 0),
  record_count    integer NOT NULL DEFAULT 0 CHECK (record_count >= 0),
  status          text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'transformed', 'loaded', 'failed', 'skipped')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- { message, name, stage, reason, at, ... } of the last failure; NULL when none.
  error           jsonb,
  -- Bumped by an explicit reprocess (the only way a status may move backwards, see the trigger).
  reprocess_count integer NOT NULL DEFAULT 0 CHECK (reprocess_count >= 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Inspector filters and run accounting. Every index leads with tenant_id (RLS adds it to every query).
-- Run detail / completion: "what of run R, step S is still pending?"
CREATE INDEX raw_extraction_data_run_idx ON raw_extraction_data (tenant_id, run_id, step, status);
-- Browsing an integration newest first, keyset-paginated by (created_at, id).
CREATE INDEX raw_extraction_data_integration_idx ON raw_extraction_data (tenant_id, integration_id, created_at DESC, id DESC);
-- Status filter ("show me failed pages") across runs.
CREATE INDEX raw_extraction_data_status_idx ON raw_extraction_data (tenant_id, status, created_at DESC);
-- Stream / parent filters and lineage lookups ("the pages of issue ABC-1").
CREATE INDEX raw_extraction_data_stream_idx ON raw_extraction_data (tenant_id, integration_id, stream, parent_key);

-- Status moves forward only: pending → transformed → loaded, and pending|transformed → failed|skipped.
-- Setting the same status again is allowed (redelivered messages are idempotent). The one way back is
-- an explicit reprocess: status = 'pending' together with reprocess_count = old + 1, e.g.
--   UPDATE raw_extraction_data SET status = 'pending', reprocess_count = reprocess_count + 1, error = NULL WHERE id = $1;
-- Anything else raises, so a worker bug (e.g. a late transform overwriting `loaded`) is loud, not silent.
-- Workers therefore guard their own updates: `... SET status = 'transformed' WHERE id = $1 AND status = 'pending'`.
CREATE FUNCTION raw_extraction_data_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  rank_old integer := CASE OLD.status WHEN 'pending' THEN 0 WHEN 'transformed' THEN 1 ELSE 2 END;
  rank_new integer := CASE NEW.status WHEN 'pending' THEN 0 WHEN 'transformed' THEN 1 ELSE 2 END;
BEGIN
  NEW.updated_at := now();
  IF NEW.reprocess_count = OLD.reprocess_count + 1 AND NEW.status = 'pending' THEN
    RETURN NEW; -- explicit reprocess reset
  END IF;
  IF NEW.reprocess_count <> OLD.reprocess_count THEN
    RAISE EXCEPTION 'raw_extraction_data %: reprocess_count may only grow by 1 together with status = pending', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  -- loaded, failed and skipped are terminal (rank 2); ranks must strictly increase.
  IF rank_old = 2 OR rank_new <= rank_old THEN
    RAISE EXCEPTION 'raw_extraction_data %: status cannot move from % to % (only forward, or reset by reprocess)', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER raw_extraction_data_guard
  BEFORE UPDATE ON raw_extraction_data
  FOR EACH ROW EXECUTE FUNCTION raw_extraction_data_guard();

GRANT SELECT, INSERT, UPDATE, DELETE ON raw_extraction_data TO sluice_tenant;

ALTER TABLE raw_extraction_data ENABLE ROW LEVEL SECURITY;
CREATE POLICY raw_extraction_data_isolation ON raw_extraction_data
  USING (tenant_id = sluice_current_tenant())
  WITH CHECK (tenant_id = sluice_current_tenant());
