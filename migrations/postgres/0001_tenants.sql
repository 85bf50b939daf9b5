-- Tenants and the row-level security foundation every business table builds on.
--
-- Isolation model: the engine connects with one login role; tenant-scoped work runs in a
-- transaction that does `SET LOCAL ROLE sluice_tenant` and sets `sluice.tenant_id`. RLS policies
-- apply to sluice_tenant (it owns nothing), so a query that forgets its tenant filter still only
-- sees the current tenant's rows.

-- Roles are cluster-wide: create once, tolerate a concurrent creator (parallel test databases).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sluice_tenant') THEN
    CREATE ROLE sluice_tenant NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- The migrating role must be able to switch to sluice_tenant (a superuser can anyway).
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'sluice_tenant', 'MEMBER') THEN
    EXECUTE format('GRANT sluice_tenant TO %I', current_user);
  END IF;
END $$;

-- The tenant a transaction acts for; NULL when unset, which matches no row.
CREATE FUNCTION sluice_current_tenant() RETURNS integer
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('sluice.tenant_id', true), '')::integer $$;

CREATE TABLE tenants (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  tier        text NOT NULL DEFAULT 'premium' CHECK (tier IN ('free', 'basic', 'premium', 'enterprise')),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tenants_name_key ON tenants (lower(name));

GRANT USAGE ON SCHEMA public TO sluice_tenant;
GRANT EXECUTE ON FUNCTION sluice_current_tenant() TO sluice_tenant;
GRANT SELECT, UPDATE ON tenants TO sluice_tenant;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenants_isolation ON tenants
  USING (id = sluice_current_tenant())
  WITH CHECK (id = sluice_current_tenant());
