-- Which loaded raw units the vectorize stage has finished (issue 9: the job cards' vectorize circle).
--
-- Vectors lag behind a run: a run is complete when it is loaded, and the vectorize jobs load publishes
-- per unit may still be queued after it ended. The bridge (qdrant_vectors, 0013) counts entities, but
-- an entity count cannot say when the stage is done: a unit of sprints or comments embeds nothing, and
-- a unit whose texts did not change only confirms. So the stage records each unit it has finished, and
-- the console compares that with the run's loaded units per step.
--
-- reprocess_count is the unit's count when the job read it: a reprocessed unit that is loaded again
-- does not count as vectorized until the job of its new load has run (the counts match only then).
-- The raw unit's deletion (retention, its run or integration) takes the row with it.

CREATE TABLE vectorized_units (
  raw_id          bigint PRIMARY KEY REFERENCES raw_extraction_data (id) ON DELETE CASCADE,
  tenant_id       integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_id          bigint NOT NULL,
  step            text NOT NULL,
  reprocess_count integer NOT NULL CHECK (reprocess_count >= 0),
  -- What the job did: entities embedded, confirmed unchanged, or superseded by a newer version.
  embedded        integer NOT NULL DEFAULT 0 CHECK (embedded >= 0),
  confirmed       integer NOT NULL DEFAULT 0 CHECK (confirmed >= 0),
  superseded      integer NOT NULL DEFAULT 0 CHECK (superseded >= 0),
  vectorized_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vectorized_units_run_idx ON vectorized_units (run_id, step);

-- Per step of a run: loaded units, how many of them the vectorize stage has finished, and the
-- entities whose vector this run's loads embedded or confirmed (sluice_run_vectorized, 0013).
CREATE FUNCTION sluice_run_vectorize_progress(p_run bigint)
  RETURNS TABLE (step text, loaded_units bigint, vectorized_units bigint, entities bigint)
  LANGUAGE sql STABLE
  AS $$
    SELECT s.step,
           count(d.id) FILTER (WHERE d.status = 'loaded'),
           count(v.raw_id) FILTER (WHERE d.status = 'loaded' AND v.reprocess_count = d.reprocess_count),
           coalesce(max(e.vectorized), 0)
      FROM run_steps s
      LEFT JOIN raw_extraction_data d ON d.run_id = s.run_id AND d.step = s.step AND d.tenant_id = s.tenant_id
      LEFT JOIN vectorized_units v ON v.raw_id = d.id
      LEFT JOIN sluice_run_vectorized(p_run) e ON e.step = s.step
     WHERE s.run_id = p_run
     GROUP BY s.step, s.ordinal
     ORDER BY s.ordinal
  $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON vectorized_units TO sluice_tenant;
GRANT EXECUTE ON FUNCTION sluice_run_vectorize_progress(bigint) TO sluice_tenant;
ALTER TABLE vectorized_units ENABLE ROW LEVEL SECURITY;
CREATE POLICY vectorized_units_isolation ON vectorized_units USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
