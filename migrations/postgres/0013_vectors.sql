-- The bridge between unified rows and their Qdrant points (DESIGN.md section 3, issue 10).
--
-- One row per embedded entity: which collection and point hold its vector, the hash of the text that
-- was embedded and the embedder that made it. The vectorize stage compares a row's current text hash
-- and the current embedder with these to decide whether to embed again (prior-system.md section 7
-- re-embedded everything on every run), and the console counts rows here against the unified tables
-- to show how complete the vectors are.
--
-- Why there is no foreign key to the entity or to its integration: a delete must not take the bridge
-- row with it, or nobody would know that a point in Qdrant has lost its entity. Instead, deleting a
-- work item or a PR (directly, or through its integration's cascade) marks the bridge row deleted
-- (`deleted_at`, by the triggers below) in the same transaction, and the vectorize threads sweep
-- those tombstones: delete the points, then the rows (workers/vectorize/sweeper.ts). So a deleted
-- entity loses its point even when Qdrant was down at the time.
--
-- The point id is the entity's row id (collections are per tenant and entity kind, so it is unique
-- there and stable across upserts). raw_id is the lineage: the raw unit whose version of the row was
-- last embedded or confirmed unchanged; it only moves forward, like the unified rows' own raw_id, so
-- a late job for an older version of a row can neither overwrite a newer vector nor its bookkeeping.

CREATE TABLE qdrant_vectors (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  integration_id  bigint NOT NULL,
  entity          text NOT NULL CHECK (entity IN ('work_items', 'prs')),
  record_id       bigint NOT NULL,
  -- What the console shows for the entity: PROJ-12, org/repo#34.
  entity_key      text NOT NULL,
  collection      text NOT NULL,
  point_id        bigint NOT NULL,
  -- sha256 (hex) of the embedded text, and the embedder that made the vector (shared/vectors/settings.ts).
  text_hash       text NOT NULL CHECK (text_hash ~ '^[0-9a-f]{64}$'),
  embedder        text NOT NULL,
  dimensions      integer NOT NULL CHECK (dimensions > 0),
  raw_id          bigint NOT NULL,
  -- The run and step whose load last embedded or confirmed this row (NULL: a re-embed from the console).
  run_id          bigint,
  step            text,
  embedded_at     timestamptz NOT NULL DEFAULT now(),
  -- Tombstone: the entity is gone; the sweep deletes the point, then this row.
  deleted_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, entity, record_id)
);
CREATE INDEX qdrant_vectors_counts_idx ON qdrant_vectors (tenant_id, entity, integration_id) WHERE deleted_at IS NULL;
CREATE INDEX qdrant_vectors_tombstones_idx ON qdrant_vectors (id) WHERE deleted_at IS NOT NULL;
CREATE INDEX qdrant_vectors_run_idx ON qdrant_vectors (run_id) WHERE run_id IS NOT NULL;
CREATE INDEX qdrant_vectors_raw_idx ON qdrant_vectors (raw_id);
CREATE TRIGGER qdrant_vectors_touch BEFORE UPDATE ON qdrant_vectors FOR EACH ROW EXECUTE FUNCTION sluice_touch_updated_at();

-- Marks the bridge rows of deleted entities; one statement per delete (cascades included), whatever
-- the number of rows. Runs as whoever deleted (RLS applies to the tenant role, whose rows they are).
CREATE FUNCTION sluice_vectors_tombstone() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE qdrant_vectors v
     SET deleted_at = now()
    FROM gone g
   WHERE v.entity = TG_ARGV[0] AND v.record_id = g.id AND v.tenant_id = g.tenant_id AND v.deleted_at IS NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER work_items_vectors_tombstone AFTER DELETE ON work_items
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION sluice_vectors_tombstone('work_items');
CREATE TRIGGER prs_vectors_tombstone AFTER DELETE ON prs
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION sluice_vectors_tombstone('prs');

-- Vectorized entities per step of a run: the bridge rows whose last embedding (or unchanged-text
-- confirmation) came from this run's loads. Vectors lag behind a run, so this keeps growing after the
-- run has ended; a later run that confirms the same rows takes them over.
CREATE FUNCTION sluice_run_vectorized(p_run bigint)
  RETURNS TABLE (step text, vectorized bigint)
  LANGUAGE sql STABLE
  AS $$
    SELECT v.step, count(*) FROM qdrant_vectors v WHERE v.run_id = p_run AND v.deleted_at IS NULL GROUP BY v.step ORDER BY v.step
  $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON qdrant_vectors TO sluice_tenant;
GRANT EXECUTE ON FUNCTION sluice_run_vectorized(bigint) TO sluice_tenant;
ALTER TABLE qdrant_vectors ENABLE ROW LEVEL SECURITY;
CREATE POLICY qdrant_vectors_isolation ON qdrant_vectors USING (tenant_id = sluice_current_tenant()) WITH CHECK (tenant_id = sluice_current_tenant());
