import { PermanentError } from '../../../queue/errors';
import { DevStatusBody, type DevStatusPullRequest } from '../payloads';
import { parsePayload } from './parse';
import type { PrLinkRow, ReplacedSetRow } from './rows';

/**
 * The `dev_status` stream: the pull requests Jira's development panel links to one issue (the unit's
 * partition is `<issueId>:<issueKey>`). Rows go to work_items_prs_links with source
 * `jira_dev_status`, keys normalised as migration 0006 requires (issue key upper case, repository
 * `owner/name` lower case), and replace the issue's previous dev-status links (a PR unlinked in Jira
 * disappears); links found by the GitHub side have other sources and are never touched.
 */

const KEY = /^[A-Z][A-Z0-9_]*-[0-9]+$/;

const prNumber = (pr: DevStatusPullRequest): number | null => {
  const fromUrl = pr.url ? /\/pull(?:s|-requests)?\/(\d+)(?:[/?#]|$)/.exec(pr.url)?.[1] : undefined;
  const fromId = pr.id ? /^#?(\d+)$/.exec(pr.id.trim())?.[1] : undefined;
  const n = Number(fromUrl ?? fromId);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

const repoName = (pr: DevStatusPullRequest): string | null => {
  if (pr.repositoryName && /^[^/\s]+\/[^/\s]+$/.test(pr.repositoryName)) return pr.repositoryName.toLowerCase();
  for (const url of [pr.url, pr.repositoryUrl]) {
    const m = url ? /^https?:\/\/[^/]+\/([^/\s]+)\/([^/\s?#]+)/.exec(url) : null;
    if (m) return `${m[1]}/${m[2]}`.toLowerCase();
  }
  return null;
};

export const parseDevStatusPartition = (partition: string | null): { issueId: string; issueKey: string } => {
  const m = partition ? /^(\d+):(.+)$/.exec(partition) : null;
  const issueKey = m?.[2]?.trim().toUpperCase();
  if (!m || !issueKey || !KEY.test(issueKey)) {
    throw new PermanentError(`A dev_status unit's partition must be "<issueId>:<issueKey>" (e.g. 10042:ENG-7), not ${JSON.stringify(partition)}; re-extract the step.`);
  }
  return { issueId: m[1]!, issueKey };
};

export const transformDevStatus = (payload: unknown, partition: string | null): { work_items_prs_links: PrLinkRow[]; replaced_sets: ReplacedSetRow[] } => {
  const { issueId, issueKey } = parseDevStatusPartition(partition);
  const body = parsePayload(DevStatusBody, payload, `dev-status of issue ${issueKey}`);
  const links = new Map<string, PrLinkRow>();
  for (const pr of body.detail.flatMap((d) => d.pullRequests ?? [])) {
    const number = prNumber(pr);
    const repo = repoName(pr);
    if (number === null || repo === null) {
      throw new PermanentError(
        `Issue ${issueKey}'s dev-status lists a pull request without a readable repository or number (id ${JSON.stringify(pr.id ?? null)}, url ${JSON.stringify(pr.url ?? null)}); the link cannot be stored. Check the dev-status response for this issue.`,
      );
    }
    links.set(`${repo}#${number}`, {
      source: 'jira_dev_status',
      work_item_key: issueKey,
      work_item_external_id: issueId,
      repo_full_name: repo,
      pr_number: number,
      external_repo_id: pr.repositoryId ?? null,
      pr_external_id: null,
      branch_name: pr.source?.branch ?? null,
      commit_sha: pr.lastCommit?.id ?? null,
      pr_status: pr.status ?? null,
      pr_url: pr.url ?? null,
    });
  }
  return { work_items_prs_links: [...links.values()], replaced_sets: [{ table: 'work_items_prs_links', value: issueKey }] };
};
