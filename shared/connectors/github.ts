import { ConnectorPlan } from './plan';

/**
 * GitHub: repositories (search, split past the 1000-result cap into partitions of the same stream),
 * then pull requests per repository through GraphQL with their first nested pages, and every further
 * nested page (commits, reviews, comments, review threads) as its own partition, so a rate-limited or
 * paused run resumes at the exact nested cursor (reference/prior-system.md section 4.5).
 */
export const githubPlan = ConnectorPlan.parse({
  provider: 'github',
  label: 'GitHub',
  steps: [
    { key: 'repositories', label: 'Repositories', streams: [{ name: 'repositories', label: 'Repositories', partitionsFrom: ['repositories'], partitionLabel: 'search slice' }] },
    {
      key: 'pull_requests',
      label: 'PRs, commits, reviews & comments',
      streams: [
        { name: 'pull_requests', label: 'Pull requests with nested data', partitionsFrom: ['repositories'], partitionLabel: 'repository', incremental: true },
        { name: 'pr_nested', label: 'Further nested pages', partitionsFrom: ['pull_requests'], partitionLabel: 'pull request connection' },
      ],
    },
  ],
  lineageTables: ['repositories', 'prs', 'prs_commits', 'prs_reviews', 'prs_comments', 'prs_review_threads', 'work_items_prs_links'],
});
