/**
 * Copies the response examples of the Jira endpoints we round-trip out of Atlassian's platform v3
 * OpenAPI spec (../shared/reference, 2.4 MB) into jira-examples.json, so the contract tests run from
 * the repository alone. Run: npx tsx simulators/contract-fixtures/extract-jira-examples.ts [spec]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const specPath = process.argv[2] ?? join(here, '..', '..', '..', 'shared', 'reference', 'jira-platform-v3.openapi.json');
const PATHS = [
  '/rest/api/3/project/search',
  '/rest/api/3/search/jql',
  '/rest/api/3/issue/{issueIdOrKey}/changelog',
  '/rest/api/3/issuetype',
  '/rest/api/3/status',
  '/rest/api/3/field',
  '/rest/api/3/project/{projectIdOrKey}/statuses',
];

type Spec = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { example?: string }> }> }>> };
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
const examples: Record<string, unknown> = {};
for (const path of PATHS) {
  const example = spec.paths[path]?.['get']?.responses['200']?.content?.['application/json']?.example;
  if (typeof example !== 'string') throw new Error(`no 200 example for GET ${path}`);
  examples[path] = JSON.parse(example);
}
writeFileSync(join(here, 'jira-examples.json'), `${JSON.stringify({ source: 'jira-platform-v3.openapi.json (Atlassian)', examples }, null, 1)}\n`);
console.log(`wrote ${PATHS.length} examples`);
