/**
 * One-off: copies the JSON schemas (with $refs resolved) and the examples of the GitHub REST endpoints the
 * simulator serves out of `@octokit/openapi` into a small committed file. The package is 385 MB unpacked,
 * too heavy to be a project dependency for ~300 KB of contract, so it is installed outside the repo:
 *
 *   mkdir /tmp/ghoa && cd /tmp/ghoa && npm install --no-save --ignore-scripts @octokit/openapi@23.0.2
 *   npx tsx simulators/contract-fixtures/extract-github-openapi.ts /tmp/ghoa/node_modules/@octokit/openapi
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GITHUB_OPENAPI_PATHS = [
  '/search/repositories',
  '/repos/{owner}/{repo}',
  '/orgs/{org}/repos',
  '/repos/{owner}/{repo}/pulls',
  '/repos/{owner}/{repo}/pulls/{pull_number}',
  '/repos/{owner}/{repo}/pulls/{pull_number}/commits',
  '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
  '/repos/{owner}/{repo}/pulls/{pull_number}/comments',
  '/repos/{owner}/{repo}/pulls/comments',
  '/repos/{owner}/{repo}/issues/comments',
  '/repos/{owner}/{repo}/issues/{issue_number}/comments',
  '/repos/{owner}/{repo}/commits',
  '/rate_limit',
] as const;

type Json = Record<string, unknown>;

function main(pkgDir: string): void {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const raw = JSON.parse(readFileSync(join(pkgDir, 'generated/api.github.com.json'), 'utf8')) as Json;
  const deref = JSON.parse(readFileSync(join(pkgDir, 'generated/api.github.com.deref.json'), 'utf8')) as Json;
  const rawPaths = raw.paths as Record<string, Record<string, Json>>;
  const derefPaths = deref.paths as Record<string, Record<string, Json>>;
  const examples = (raw.components as Json).examples as Record<string, { value: unknown }>;
  const endpoints: Record<string, { schema: unknown; example: unknown; exampleName: string }> = {};
  for (const path of GITHUB_OPENAPI_PATHS) {
    const get = (p: Record<string, Record<string, Json>>) => p[path]?.get?.responses as Record<string, Json> | undefined;
    const okRaw = get(rawPaths)?.['200']?.content as Record<string, Json> | undefined;
    const okDeref = get(derefPaths)?.['200']?.content as Record<string, Json> | undefined;
    const exRefs = okRaw?.['application/json']?.examples as Record<string, { $ref: string }> | undefined;
    const ref = exRefs ? Object.values(exRefs)[0]?.$ref : undefined;
    if (!okDeref || !ref) throw new Error(`The OpenAPI file has no 200 schema or example for GET ${path}; check the package version.`);
    const exampleName = ref.split('/').pop() as string;
    endpoints[path] = {
      schema: okDeref['application/json']?.schema,
      example: examples[exampleName]?.value,
      exampleName,
    };
  }
  const out = {
    source: `@octokit/openapi@${pkg.version} generated/api.github.com(.deref).json`,
    license: 'MIT, Copyright (c) GitHub (see the @octokit/openapi package LICENSE)',
    endpoints,
  };
  const target = join(import.meta.dirname, 'github-openapi-subset.json');
  writeFileSync(target, JSON.stringify(out) + '\n');
  console.log(`wrote ${target} (${Object.keys(endpoints).length} endpoints)`);
}

const dir = process.argv[2];
if (!dir) {
  console.error('Usage: npx tsx simulators/contract-fixtures/extract-github-openapi.ts <path to node_modules/@octokit/openapi>');
  process.exit(2);
}
main(dir);
