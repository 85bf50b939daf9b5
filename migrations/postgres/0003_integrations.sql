-- Integrations: one connection to a source (a Jira Cloud site, a GitHub organisation) for a tenant.
-- Several per provider per tenant are allowed (e.g. two Jira sites), told apart by name.
--
-- The API token is stored sealed (AES-256-GCM, see shared/lib/secret-box.ts; the key lives with the
-- engine, never in the database) and the tenant role cannot even select the sealed column: it is
-- read only by the engine/workers when they call the API, and never sent to a console.

CREATE TABLE integrations (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  provider        text NOT NULL CHECK (provider IN ('jira', 'github')),
  name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  -- Jira: https://<site>.atlassian.net; GitHub: https://api.github.com (or an Enterprise API URL).
  base_url        text NOT NULL CHECK (base_url ~ '^https?://'),
  -- Provider settings validated by the engine (Jira: email, project keys, base JQL, page size;
  -- GitHub: organisation, repository patterns, page size; both: rate limit).
  settings        jsonb NOT NULL DEFAULT '{}'::jsonb,
  secret_sealed   text,
  -- Shown to operators instead of the token ("…a1b2"), so they can tell which token is set.
  secret_hint     text,
  active          boolean NOT NULL DEFAULT true,
  -- The Demo tenant's integrations point at the local simulators; `sluice start` keeps their URLs current.
  is_demo         boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX integrations_name_key ON integrations (tenant_id, lower(name));
-- Lets child tables reference (id, tenant_id), so a row can never point at another tenant's integration.
ALTER TABLE integrations ADD CONSTRAINT integrations_id_tenant_key UNIQUE (id, tenant_id);
CREATE INDEX integrations_tenant_idx ON integrations (tenant_id, provider, active);

ALTER TABLE raw_extraction_data
  ADD CONSTRAINT raw_extraction_data_integration_fk FOREIGN KEY (integration_id, tenant_id)
  REFERENCES integrations (id, tenant_id) ON DELETE CASCADE;

-- Column grants: everything but the sealed secret.
GRANT SELECT (id, tenant_id, provider, name, base_url, settings, secret_hint, active, is_demo, created_at, updated_at) ON integrations TO sluice_tenant;
GRANT INSERT (tenant_id, provider, name, base_url, settings, active) ON integrations TO sluice_tenant;
GRANT UPDATE (name, base_url, settings, active, updated_at) ON integrations TO sluice_tenant;
GRANT DELETE ON integrations TO sluice_tenant;

ALTER TABLE integrations ENABLE ROW LEVEL SECURITY;
CREATE POLICY integrations_isolation ON integrations
  USING (tenant_id = sluice_current_tenant())
  WITH CHECK (tenant_id = sluice_current_tenant());
