/** Small helpers shared by the simulator tests. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOKEN = 'test-token';
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Got<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = unknown>(url: string, init: RequestInit & { auth?: string | null } = {}): Promise<Got<T>> {
  const headers = new Headers(init.headers);
  if (init.auth !== null) headers.set('authorization', init.auth ?? `Bearer ${TOKEN}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

/**
 * A 200 response example from Atlassian's Jira platform v3 spec, as copied into the repository by
 * simulators/contract-fixtures/extract-jira-examples.ts.
 */
export function jiraExample(path: string): unknown {
  const file = join(repoRoot, 'simulators', 'contract-fixtures', 'jira-examples.json');
  const ex = (JSON.parse(readFileSync(file, 'utf8')) as { examples: Record<string, unknown> }).examples[path];
  if (ex === undefined) throw new Error(`No Jira spec example for GET ${path} in ${file}: add the path to extract-jira-examples.ts and rerun it.`);
  return ex;
}

export interface GithubEndpoint {
  schema: object;
  example: unknown;
  exampleName: string;
}

export function githubOpenapi(): Record<string, GithubEndpoint> {
  const file = join(repoRoot, 'simulators', 'contract-fixtures', 'github-openapi-subset.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { endpoints: Record<string, GithubEndpoint> }).endpoints;
}

/** OpenAPI 3.0 → JSON Schema: `nullable: true` becomes an explicit null alternative, recursively. */
export function openapiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openapiToJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'example' || k === 'examples' ? v : openapiToJsonSchema(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  delete out.nullable;
  return out;
}
