-- The raw data inspector (issue 9) lists a tenant's units newest first across integrations, keyset-
-- paginated on (created_at, id). raw_extraction_data_integration_idx serves that within one
-- integration; without an integration filter the list had to sort every unit of the tenant per page.
--
-- Text search in payloads deliberately has no index: a trigram GIN index over payload text would be
-- about as large as the payloads themselves and slow every extract write, and a tsvector cannot hold a
-- page over 1 MB. The inspector scans candidates in keyset order under a time budget instead and
-- continues from a cursor (main/engine/raw/units.ts, searchPage); narrowing filters use the indexes.
CREATE INDEX raw_extraction_data_tenant_created_idx ON raw_extraction_data (tenant_id, created_at DESC, id DESC);
