/**
 * Indexes over the Jira half of a world, the search cache, and the mutations that simulate activity
 * between sync runs. Mutations replace nested objects instead of editing them, because generated issues
 * share user and status objects.
 */
import type { JiraIssue, JiraProject, JiraWorld, Json, JsonObject } from '../world/types';
import { Rng } from '../generator/random';
import { jiraTime } from '../generator/time';
import { compileJql, sortIssues } from './jql';

export class JiraStore {
  readonly projectsByKey = new Map<string, JiraProject>();
  readonly issuesByKey = new Map<string, JiraIssue>();
  readonly issuesById = new Map<string, JiraIssue>();
  private version = 0;
  private readonly cache = new Map<string, { version: number; issues: JiraIssue[] }>();
  private readonly rng: Rng;

  constructor(readonly world: JiraWorld, seed = 1) {
    for (const p of world.projects) {
      this.projectsByKey.set(p.key.toUpperCase(), p);
      this.projectsByKey.set(p.id, p);
    }
    for (const i of world.issues) {
      this.issuesByKey.set(i.key.toUpperCase(), i);
      this.issuesById.set(i.id, i);
    }
    this.rng = new Rng(seed + 31);
  }

  project(idOrKey: string): JiraProject | undefined {
    return this.projectsByKey.get(idOrKey.toUpperCase());
  }

  issue(idOrKey: string): JiraIssue | undefined {
    return this.issuesById.get(idOrKey) ?? this.issuesByKey.get(idOrKey.toUpperCase());
  }

  /** The ordered result of a JQL query, cached until the world changes. Throws JqlError. */
  search(jql: string): JiraIssue[] {
    const hit = this.cache.get(jql);
    if (hit && hit.version === this.version) return hit.issues;
    const q = compileJql(jql);
    for (const p of q.projects) {
      if (!this.project(p)) throw Object.assign(new Error(`The value '${p}' does not exist for the field 'project'.`), { jqlField: 'project' });
    }
    const issues = sortIssues(this.world.issues.filter(q.predicate), q.order);
    if (this.cache.size > 200) this.cache.clear();
    this.cache.set(jql, { version: this.version, issues });
    return issues;
  }

  /**
   * Moves `count` issues to another status of their workflow now, with a changelog entry and a new
   * `updated`, as a person working between two sync runs would. Returns the keys changed.
   */
  updateIssues(count: number, now = Date.now(), pool?: readonly JiraIssue[]): string[] {
    const candidates = pool && pool.length ? pool : this.world.issues;
    if (candidates.length === 0) return [];
    const changed: string[] = [];
    for (let n = 0; n < count; n++) {
      const issue = candidates[this.rng.int(0, candidates.length - 1)] as JiraIssue;
      const statuses = this.statusesFor(issue);
      const from = issue.fields.status as JsonObject | undefined;
      const options = statuses.filter((s) => s.id !== from?.id);
      if (options.length === 0) continue;
      const to = this.rng.pick(options);
      const at = jiraTime(now + n); // distinct instants keep ORDER BY updated deterministic
      const author = (issue.fields.assignee ?? issue.fields.reporter ?? null) as Json;
      const log = (issue.changelog as JsonObject | undefined) ?? { startAt: 0, maxResults: 0, total: 0, histories: [] };
      const histories = [...((log.histories as Json[] | undefined) ?? [])];
      const entry: JsonObject = {
        id: String(900_000_000 + this.version * 1000 + n),
        created: at,
        items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: (from?.id as string) ?? null, fromString: (from?.name as string) ?? null, to: to.id as string, toString: to.name as string }],
      };
      if (author) entry.author = author;
      histories.unshift(entry);
      issue.changelog = { startAt: 0, maxResults: histories.length, total: histories.length, histories };
      issue.fields = { ...issue.fields, status: to, updated: at, statuscategorychangedate: at };
      changed.push(issue.key);
    }
    this.version += 1;
    return changed;
  }

  /** Bumps the version after an outside change (e.g. a fault poisoning nothing but wanting a fresh cache). */
  touch(): void {
    this.version += 1;
  }

  private statusesFor(issue: JiraIssue): JsonObject[] {
    const project = issue.fields.project as JsonObject | undefined;
    const type = issue.fields.issuetype as JsonObject | undefined;
    const entry = this.world.projectStatuses.find((ps) => ps.project === project?.key || ps.project === project?.id);
    const forType = (entry?.body as JsonObject[] | undefined)?.find((t) => t.id === type?.id);
    const list = (forType?.statuses as JsonObject[] | undefined) ?? (this.world.statuses as JsonObject[]);
    return list;
  }
}
