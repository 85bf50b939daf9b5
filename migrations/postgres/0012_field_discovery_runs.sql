-- Custom-field discovery from the Mappings hub (mappings.customFields.discover) reads the site's field
-- list outside a pipeline run. Its answer is kept like every API response, as a raw unit, and the
-- custom_fields rows point back at it (raw_id, lineage) exactly as rows loaded by a run's fields step do.
-- A raw unit belongs to a run, so a discovery is recorded as a run of its own kind: one step (`fields`),
-- one unit, already finished when it is written. It is never "active", so it never blocks or is blocked
-- by the integration's pipeline runs, and history tells it apart from extraction runs.
ALTER TABLE runs DROP CONSTRAINT runs_kind_check;
ALTER TABLE runs ADD CONSTRAINT runs_kind_check
  CHECK (kind IN ('incremental', 'full_refresh', 'retransform', 'resume', 'rerun_failed', 'discovery'));
