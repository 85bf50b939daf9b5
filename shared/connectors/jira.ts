import { ConnectorPlan } from './plan';

/**
 * Jira Cloud: the steps of the prior system (reference/prior-system.md section 3) plus custom-field
 * discovery, with issues fetched per project so projects page in parallel, and every `nextPageToken`
 * followed to the end (the prior system's worst bug was fetching one page).
 */
export const jiraPlan = ConnectorPlan.parse({
  provider: 'jira',
  label: 'Jira Cloud',
  steps: [
    { key: 'projects', label: 'Projects & issue types', streams: [{ name: 'projects', label: 'Projects with issue types' }] },
    {
      key: 'statuses',
      label: 'Statuses & project relations',
      streams: [
        { name: 'statuses', label: 'Statuses' },
        { name: 'project_statuses', label: 'Statuses per project', partitionsFrom: ['projects'], partitionLabel: 'project' },
      ],
    },
    { key: 'fields', label: 'Custom fields', streams: [{ name: 'fields', label: 'Fields' }] },
    {
      key: 'issues',
      label: 'Issues & changelogs',
      streams: [{ name: 'issues', label: 'Issues with full changelogs', partitionsFrom: ['projects'], partitionLabel: 'project', incremental: true }],
    },
    { key: 'dev_status', label: 'Development (PR links)', streams: [{ name: 'dev_status', label: 'Pull requests per issue', partitionsFrom: ['issues'], partitionLabel: 'issue' }] },
    { key: 'sprints', label: 'Sprints', streams: [{ name: 'sprints', label: 'Sprints referenced by issues', partitionsFrom: ['issues'], partitionLabel: 'sprint' }] },
  ],
  lineageTables: ['projects', 'wits', 'statuses', 'projects_wits', 'projects_statuses', 'custom_fields', 'work_items', 'changelogs', 'sprints', 'work_items_sprints', 'work_items_prs_links'],
});
