-- Raw units this console fetched or opened, mirroring `raw_extraction_data` in Postgres (metadata +
-- payload) for offline inspection, search and re-transform preview. Never the source of truth: the
-- row id IS the Postgres raw id, so a re-fetch upserts instead of duplicating.
--
-- Times are integer milliseconds since the epoch (cheap to compare and index; the API speaks ISO).
-- `payload` holds the JSON text as the API returned it, brotli-compressed when `encoding` = 'br'
-- (large pages only, see raw-cache.ts); `payload_bytes` is the uncompressed UTF-8 size and
-- `stored_bytes` what the row costs against the cache budget.
CREATE TABLE raw_units (
  raw_id            INTEGER PRIMARY KEY CHECK (raw_id > 0),
  tenant_id         INTEGER NOT NULL,
  integration_id    INTEGER NOT NULL,
  run_id            INTEGER NOT NULL,
  step              TEXT NOT NULL,
  stream            TEXT NOT NULL,
  request_url       TEXT NOT NULL,
  request_params    TEXT NOT NULL DEFAULT '{}',
  parent_key        TEXT,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'transformed', 'loaded', 'failed', 'skipped')),
  record_count      INTEGER NOT NULL DEFAULT 0 CHECK (record_count >= 0),
  encoding          TEXT NOT NULL CHECK (encoding IN ('identity', 'br')),
  payload           BLOB NOT NULL,
  payload_bytes     INTEGER NOT NULL CHECK (payload_bytes >= 0),
  stored_bytes      INTEGER NOT NULL CHECK (stored_bytes >= 0),
  fetched_at        INTEGER NOT NULL,
  cached_at         INTEGER NOT NULL,
  last_accessed_at  INTEGER NOT NULL
) STRICT;

-- Inspector filters, newest first with keyset pagination on (fetched_at, raw_id).
CREATE INDEX raw_units_integration_idx ON raw_units (integration_id, fetched_at DESC, raw_id DESC);
CREATE INDEX raw_units_run_idx ON raw_units (run_id, step, stream, status);
CREATE INDEX raw_units_status_idx ON raw_units (status, fetched_at DESC);
CREATE INDEX raw_units_fetched_idx ON raw_units (fetched_at DESC, raw_id DESC);
-- Eviction walks least recently accessed first.
CREATE INDEX raw_units_lru_idx ON raw_units (last_accessed_at, raw_id);

-- Running totals, so the budget check after every write is O(1). RawCache updates them in the same
-- transaction as each write or eviction (once per batch), so they stay right when several worker
-- threads or processes write the same file. Not triggers: an AFTER INSERT trigger measured ~30 µs per
-- row here, tripling the cost of a batch of small pages. RawCache.open recounts if they ever drift
-- (e.g. rows deleted by hand while debugging).
CREATE TABLE raw_totals (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  units  INTEGER NOT NULL,
  bytes  INTEGER NOT NULL
) STRICT;
INSERT INTO raw_totals (id, units, bytes) VALUES (1, 0, 0);

-- The full-text index over payloads is created by raw-cache.ts, not here: FTS5 is a compile-time
-- option, and a build without it must still open the cache (it falls back to a scan with LIKE).
