-- What the pipeline stage handlers need on a raw unit (workers/pipeline/handlers.ts).
--
-- page_key: the connector's stable name for a page within its run, step and stream (e.g. `page-7`).
-- Extract inserts with ON CONFLICT DO NOTHING on it, so a redelivered extract message that fetches
-- the same page again reuses the existing row instead of adding a second unit (which would be loaded
-- and counted twice). Rows written before this migration, or by code that has no page key, keep ''
-- and are left out of the unique index (several of them may share a run, step and stream).
--
-- transformed: the transform stage's output awaiting load, `{ "tables": { "<table>": [rows] } }`.
-- It lives on the unit rather than in a message because payloads never travel through RabbitMQ;
-- load clears it in the same statement that marks the unit `loaded`, so it does not pile up.

ALTER TABLE raw_extraction_data
  ADD COLUMN page_key    text NOT NULL DEFAULT '' CHECK (length(page_key) <= 500),
  ADD COLUMN transformed jsonb;

CREATE UNIQUE INDEX raw_extraction_data_page_key ON raw_extraction_data (run_id, step, stream, page_key) WHERE page_key <> '';
