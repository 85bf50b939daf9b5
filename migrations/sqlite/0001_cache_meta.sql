-- The local raw cache (one SQLite file per desktop). It is a cache, never the source of truth:
-- deleting the file loses nothing that Postgres does not have.
CREATE TABLE cache_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

INSERT INTO cache_meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
