import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { TransformOutput } from '../../../pipeline/connector';
import { PermanentError } from '../../../queue/errors';
import { commit, connection, prContinuation, prPage, pullRequest } from '../sample-payloads';
import { GithubTables, transformGithub } from './index';

describe('transformGithub', () => {
  it('dispatches on the stream and returns only the tables the unit fills, valid for load', () => {
    const out = transformGithub(prPage([pullRequest()]), { stream: 'pull_requests', partition: 'Acme/Widgets' });
    expect(Object.keys(out.tables).sort()).toEqual(['prs', 'prs_comments', 'prs_commits', 'prs_review_threads', 'prs_reviews', 'work_items_prs_links']);
    expect(TransformOutput.safeParse(out).success).toBe(true);
    expect(GithubTables.safeParse(JSON.parse(JSON.stringify(out.tables))).success).toBe(true);
    const nested = transformGithub(prContinuation('commits', connection([commit(5, 'wip')])), { stream: 'pr_nested', partition: 'PR_1:commits' });
    expect(Object.keys(nested.tables)).toEqual(['prs_commits']);
    const repos = transformGithub({ total_count: 0, incomplete_results: false, items: [] }, { stream: 'repositories', partition: null });
    expect(repos.tables).toEqual({});
  });

  it('is pure: the same payload gives the same output, and the payload is left as it was', () => {
    const payload = prPage([pullRequest(), pullRequest({ id: 'PR_2', number: 8 })]);
    const before = JSON.stringify(payload);
    const a = transformGithub(payload, { stream: 'pull_requests', partition: 'Acme/Widgets' });
    const b = transformGithub(JSON.parse(before), { stream: 'pull_requests', partition: 'Acme/Widgets' });
    expect(a).toEqual(b);
    expect(JSON.stringify(payload)).toBe(before);
  });

  it('an unknown stream is a PermanentError', () => {
    expect(() => transformGithub({}, { stream: 'issues', partition: null })).toThrow(PermanentError);
  });

  it('imports nothing with I/O, however deep (zod and pure project files only)', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const seen = new Set<string>();
    const bare = new Set<string>();
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      // Type-only imports vanish at build time; everything else is code that runs.
      for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)';/gms)) {
        const [, typeOnly, spec] = m as unknown as [string, string | undefined, string];
        if (typeOnly) continue;
        if (spec.startsWith('.')) walk(resolve(dirname(file), `${spec}.ts`));
        else bare.add(spec);
      }
    };
    walk(join(here, 'index.ts'));
    expect(seen.size).toBeGreaterThan(8);
    expect([...bare]).toEqual(['zod']);
  });
});
