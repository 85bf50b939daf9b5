-- Streams and partitions of a run, watermarks, and the queue outbox (DESIGN.md sections 4 and 5).
--
-- A run follows its connector's plan (shared/connectors): steps made of streams. A root stream has one
-- partition from the start; a partitioned stream gets its partitions from the pages of its producer
-- streams (a projects page names project keys, an issues page names the issues that have pull
-- requests). Each partition is paged on its own, and its cursor is saved with every stored page, so a
-- paused, rate-limited or crashed run resumes exactly where each partition stopped.
--
-- Completion stays counted, not guessed: a stream's extraction is done when its producers are done and
-- every partition it was given reached its last page (`sluice_try_finish_stream`, called after the
-- commit that finished a partition; it cascades to the streams that depend on it and marks the step's
-- extraction done when all of its streams are). A producer's page inserts its child partitions in the
-- same transaction as the page itself, so "producer done" implies "all its partitions are known".
-- The row lock on the stream serialises the two ways a stream can finish (its last partition, or its
-- last producer), so whichever commits second sees the other.

ALTER TABLE runs
  -- What the connector's transform needs of the tenant's mappings, snapshot when the run first needed
  -- them: every unit of one run is transformed with the same mappings, on every host.
  ADD COLUMN mappings jsonb,
  -- The connector plan the run follows (provider, or settings.connector).
  ADD COLUMN connector text;

ALTER TABLE raw_extraction_data
  -- Where the page after this one starts (NULL: this was the partition's last page). A redelivered
  -- extract finds its page stored and continues from here instead of calling the API again.
  ADD COLUMN next_cursor text,
  -- Incremental streams: the highest cursor-field value on the page; a partition's watermark advances
  -- to the highest of its units once the run has loaded them all.
  ADD COLUMN watermark timestamptz,
  -- A re-transform works on copies that point at the original unit instead of carrying its payload.
  ADD COLUMN replay_of bigint REFERENCES raw_extraction_data (id) ON DELETE CASCADE;
CREATE INDEX raw_extraction_data_replay_idx ON raw_extraction_data (replay_of) WHERE replay_of IS NOT NULL;

CREATE TABLE run_streams (
  run_id       bigint NOT NULL,
  tenant_id    integer NOT NULL,
  step         text NOT NULL,
  stream       text NOT NULL CHECK (stream ~ '^[a-z][a-z0-9_]{0,62}$'),
  ordinal      integer NOT NULL CHECK (ordinal >= 0),
  -- Upstream streams whose pages give this one its partitions (never the stream itself).
  producers    text[] NOT NULL DEFAULT '{}',
  incremental  boolean NOT NULL DEFAULT false,
  done_at      timestamptz,
  PRIMARY KEY (run_id, stream),
  UNIQUE (run_id, ordinal),
  FOREIGN KEY (run_id, step) REFERENCES run_steps (run_id, step) ON DELETE CASCADE,
  FOREIGN KEY (run_id, tenant_id) REFERENCES runs (id, tenant_id) ON DELETE CASCADE
);

CREATE TABLE run_partitions (
  run_id          bigint NOT NULL,
  tenant_id       integer NOT NULL,
  stream          text NOT NULL,
  -- '' for a stream's only partition (root streams).
  partition       text NOT NULL DEFAULT '' CHECK (length(partition) <= 500),
  -- The cursor of the next page to fetch (NULL: the first page). Saved with every stored page.
  cursor          text,
  pages           integer NOT NULL DEFAULT 0 CHECK (pages >= 0),
  -- Incremental streams: the watermark this run started the partition from (NULL: from the beginning).
  watermark_from  timestamptz,
  -- The raw unit whose page found this partition (NULL for root partitions); a redelivered producer
  -- page publishes the first pages of exactly these partitions again.
  source_raw_id   bigint,
  -- Set when the partition's extraction gave up (an API error that retrying cannot fix).
  error           jsonb,
  done_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, stream, partition),
  FOREIGN KEY (run_id, stream) REFERENCES run_streams (run_id, stream) ON DELETE CASCADE
);
CREATE INDEX run_partitions_open_idx ON run_partitions (run_id, stream) WHERE done_at IS NULL;
CREATE INDEX run_partitions_source_idx ON run_partitions (source_raw_id) WHERE source_raw_id IS NOT NULL;

-- Watermark per integration, stream and partition ('' when unpartitioned): where the next incremental
-- run starts. Only ever moved forward, and only for work that is durably loaded.
CREATE TABLE sync_state (
  tenant_id       integer NOT NULL,
  integration_id  bigint NOT NULL,
  stream          text NOT NULL,
  partition       text NOT NULL DEFAULT '',
  watermark       timestamptz NOT NULL,
  run_id          bigint,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, stream, partition),
  FOREIGN KEY (integration_id, tenant_id) REFERENCES integrations (id, tenant_id) ON DELETE CASCADE
);

-- Messages to publish, written in the same transaction as the state change that needs them (a run
-- starting, resuming, re-transforming), and relayed to RabbitMQ by the worker threads (LISTEN
-- sluice_outbox, then claimed with SKIP LOCKED). The engine therefore never needs a broker connection
-- of its own to control runs, and a crash between "run created" and "first message sent" loses nothing.
CREATE TABLE queue_outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_id      bigint,
  stage       text NOT NULL CHECK (stage IN ('extract', 'transform', 'load', 'vectorize')),
  message     jsonb NOT NULL,
  message_id  text NOT NULL CHECK (length(message_id) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Ends the stream's extraction when its producers are done and all its partitions reached their end;
-- then tries the streams that depend on it, and marks the step's extraction done once all of its
-- streams are. Idempotent; true when the stream is (now) done.
CREATE FUNCTION sluice_try_finish_stream(p_run bigint, p_stream text) RETURNS boolean
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_step text;
  v_done timestamptz;
  v_producers text[];
  r record;
BEGIN
  SELECT step, done_at, producers INTO v_step, v_done, v_producers
    FROM run_streams WHERE run_id = p_run AND stream = p_stream FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  IF v_done IS NOT NULL THEN
    RETURN true;
  END IF;
  IF EXISTS (SELECT 1 FROM run_streams s WHERE s.run_id = p_run AND s.stream = ANY (v_producers) AND s.done_at IS NULL) THEN
    RETURN false;
  END IF;
  IF EXISTS (SELECT 1 FROM run_partitions p WHERE p.run_id = p_run AND p.stream = p_stream AND p.done_at IS NULL) THEN
    RETURN false;
  END IF;
  UPDATE run_streams SET done_at = now() WHERE run_id = p_run AND stream = p_stream;
  UPDATE run_steps st SET extraction_done_at = now(), updated_at = now()
   WHERE st.run_id = p_run AND st.step = v_step AND st.extraction_done_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM run_streams s WHERE s.run_id = p_run AND s.step = v_step AND s.done_at IS NULL);
  FOR r IN SELECT s.stream FROM run_streams s WHERE s.run_id = p_run AND p_stream = ANY (s.producers) AND s.done_at IS NULL ORDER BY s.ordinal LOOP
    PERFORM sluice_try_finish_stream(p_run, r.stream);
  END LOOP;
  RETURN true;
END $$;

-- Completion as in 0004, plus: when the run ends, incremental partitions that were fully extracted and
-- have no failed unit in this run move their watermark forward to the highest value their units saw.
-- A re-transform reads no API, so it moves no watermark.
CREATE OR REPLACE FUNCTION sluice_try_complete_run(p_run bigint) RETURNS text
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
    INSERT INTO sync_state AS ss (tenant_id, integration_id, stream, partition, watermark, run_id)
    SELECT r.tenant_id, r.integration_id, p.stream, p.partition, w.watermark, r.id
      FROM runs r
      JOIN run_streams s ON s.run_id = r.id AND s.incremental
      JOIN run_partitions p ON p.run_id = r.id AND p.stream = s.stream AND p.done_at IS NOT NULL AND p.error IS NULL
      CROSS JOIN LATERAL (
        SELECT max(d.watermark) AS watermark, bool_or(d.status <> 'loaded') AS unfinished
          FROM raw_extraction_data d
         WHERE d.run_id = r.id AND d.tenant_id = r.tenant_id AND d.stream = p.stream AND coalesce(d.parent_key, '') = p.partition
      ) w
     WHERE r.id = p_run AND r.kind <> 'retransform' AND w.watermark IS NOT NULL AND NOT w.unfinished
    ON CONFLICT (integration_id, stream, partition) DO UPDATE
      SET watermark = GREATEST(ss.watermark, EXCLUDED.watermark), run_id = EXCLUDED.run_id, updated_at = now();
  END IF;
  RETURN v_state;
END $$;

GRANT SELECT, INSERT, UPDATE ON run_streams, run_partitions TO sluice_tenant;
GRANT SELECT, INSERT, UPDATE, DELETE ON sync_state TO sluice_tenant;
GRANT INSERT ON queue_outbox TO sluice_tenant;
GRANT EXECUTE ON FUNCTION sluice_try_finish_stream(bigint, text) TO sluice_tenant;

ALTER TABLE run_streams ENABLE ROW LEVEL SECURITY;
CREATE POLICY run_streams_isolation ON run_streams USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
ALTER TABLE run_partitions ENABLE ROW LEVEL SECURITY;
CREATE POLICY run_partitions_isolation ON run_partitions USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
ALTER TABLE sync_state ENABLE ROW LEVEL SECURITY;
CREATE POLICY sync_state_isolation ON sync_state USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
ALTER TABLE queue_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY queue_outbox_isolation ON queue_outbox USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());

-- One active run per integration, whoever starts it (every console, scheduler and host): the database
-- refuses the second one, so two engines racing to start the same job get exactly one run.
CREATE UNIQUE INDEX runs_one_active_per_integration ON runs (integration_id) WHERE state IN ('queued', 'running', 'paused', 'rate_limited');
