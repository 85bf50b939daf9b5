-- The Jira mapping tables are embedded too (issue 10: "loaded work items, PRs and mapping tables are
-- embedded into Qdrant so the platform's AI features can search them"): hierarchy levels, type
-- mappings, workflow steps and status mappings, one collection per tenant and kind as for work items
-- and PRs (shared/vectors/entities.ts). The Mappings hub queues a vectorize job for the rows a change
-- touched, through the outbox, in the change's own transaction (main/engine/vectors/mapping-changes.ts).
--
-- Mapping rows are configuration and have no raw unit, so for these kinds the bridge's raw_id holds the
-- row's version instead: its latest updated_at (and that of the level or step its text names), in
-- microseconds (workers/vectorize/mapping-texts.ts). The version rule of 0013 (raw_id only moves
-- forward) then keeps a late job for an older version of a mapping from overwriting a newer vector,
-- exactly as it does for loaded rows. Nothing joins qdrant_vectors.raw_id to raw_extraction_data.

ALTER TABLE qdrant_vectors DROP CONSTRAINT qdrant_vectors_entity_check;
ALTER TABLE qdrant_vectors ADD CONSTRAINT qdrant_vectors_entity_check
  CHECK (entity IN ('work_items', 'prs', 'wits_hierarchies', 'wits_mappings', 'workflows', 'statuses_mappings'));

COMMENT ON COLUMN qdrant_vectors.raw_id IS
  'Version of the embedded row: the raw unit it was loaded from (work_items, prs), or its updated_at in microseconds (mapping tables, which have no raw unit). Only moves forward.';

-- Deleting a mapping row (on the hub, or with its integration's cascade) tombstones its bridge row in
-- the same statement; the vectorize threads' sweeper then deletes the point (0013, sweeper.ts).
CREATE TRIGGER wits_hierarchies_vectors_tombstone AFTER DELETE ON wits_hierarchies
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION sluice_vectors_tombstone('wits_hierarchies');
CREATE TRIGGER wits_mappings_vectors_tombstone AFTER DELETE ON wits_mappings
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION sluice_vectors_tombstone('wits_mappings');
CREATE TRIGGER workflows_vectors_tombstone AFTER DELETE ON workflows
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION sluice_vectors_tombstone('workflows');
CREATE TRIGGER statuses_mappings_vectors_tombstone AFTER DELETE ON statuses_mappings
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION sluice_vectors_tombstone('statuses_mappings');

-- Nothing else is needed for the counts: the Vectors screen counts the mapping tables per tenant and
-- integration, which their unique indexes (tenant_id, integration_id, ...) of 0008 already serve; the
-- hub finds a change's rows (updated_at = now()) within one integration, a few hundred rows at most.
