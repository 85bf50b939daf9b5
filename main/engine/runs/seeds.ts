import type pg from 'pg';

/**
 * Partitions a run starts with besides its root partitions, found in the tenant's data rather than by
 * calling the API: a GitHub run also reads the repositories that Jira's dev-status links name
 * (reference/prior-system.md 4.2), which an organization search may not cover. Written in the run's
 * start transaction; returned so their first extract messages go into the outbox with the roots.
 */

type Seeder = (client: pg.ClientBase, run: { runId: number; tenantId: number }) => Promise<{ stream: string; partition: string }[]>;

const seeders: Readonly<Record<string, Seeder>> = {
  github: async (client, { runId, tenantId }) => {
    const res = await client.query<{ partition: string }>(
      `INSERT INTO run_partitions (run_id, tenant_id, stream, partition)
       SELECT DISTINCT $1::bigint, $2::int, 'repositories', 'repo:' || l.repo_full_name
         FROM work_items_prs_links l
        WHERE l.tenant_id = $2 AND l.source = 'jira_dev_status' AND l.repo_full_name ~ '^[a-z0-9_.-]+/[a-z0-9_.-]+$'
       ON CONFLICT DO NOTHING
       RETURNING partition`,
      [runId, tenantId],
    );
    return res.rows.map((r) => ({ stream: 'repositories', partition: r.partition }));
  },
};

export const seedPartitions = async (client: pg.ClientBase, connector: string, run: { runId: number; tenantId: number }): Promise<{ stream: string; partition: string }[]> =>
  Object.hasOwn(seeders, connector) ? seeders[connector]!(client, run) : [];
