/**
 * Walks an issue through its workflow and records the changelog, the way people really move tickets:
 * forward most of the time, with backlog returns, rework loops, blocked detours and field edits on the
 * way. A "long" walk keeps reworking until it has more than 100 entries, which forces the ETL past the
 * embedded-changelog cap and through /issue/{key}/changelog paging.
 */
import type { JsonObject } from '../world/types';
import { GLOBAL_STATUSES, PRIORITIES, RESOLUTIONS, WORKFLOWS, type StatusDef } from './jira-catalog';
import type { Rng } from './random';

export interface WalkStep {
  items: JsonObject[];
  /** Index into the users list; the author of the change. */
  author: number;
  /** Set when this step moved the issue into a status. */
  status?: StatusDef;
}

export interface WalkResult {
  steps: WalkStep[];
  final: StatusDef;
  storyPoints: number | null;
  priority: JsonObject;
  assignee: number | null;
}

const POINTS = [1, 2, 3, 5, 8, 13];
const statusById = new Map(GLOBAL_STATUSES.map((s) => [s.id, s]));
const st = (id: string): StatusDef => statusById.get(id) as StatusDef;

function statusItem(from: StatusDef, to: StatusDef): JsonObject {
  return { field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name };
}

function resolutionItem(to: 'done' | 'wontdo' | null, from: 'done' | 'wontdo' | null): JsonObject {
  const f = from ? RESOLUTIONS[from] : null;
  const t = to ? RESOLUTIONS[to] : null;
  return {
    field: 'resolution', fieldtype: 'jira', fieldId: 'resolution',
    from: f ? (f.id as string) : null, fromString: f ? (f.name as string) : null,
    to: t ? (t.id as string) : null, toString: t ? (t.name as string) : null,
  };
}

export interface WalkOptions {
  flow: keyof typeof WORKFLOWS;
  /** Whether the issue should end in a done-category status. */
  finish: boolean;
  long: boolean;
  estimable: boolean;
  users: readonly { accountId: string; displayName: string }[];
  /** Project-scoped status inserted before the last step of the dev flow (team-managed projects). */
  extraStatus?: StatusDef;
}

export function walkIssue(rng: Rng, o: WalkOptions): WalkResult {
  const wf = WORKFLOWS[o.flow];
  const path: StatusDef[] = wf.path.map(st);
  if (o.extraStatus && o.flow === 'dev') path.splice(path.length - 1, 0, o.extraStatus);
  const steps: WalkStep[] = [];
  const who = () => rng.int(0, o.users.length - 1);
  let pos = 0;
  let cur = path[0] as StatusDef;
  let resolution: 'done' | 'wontdo' | null = null;
  let assignee: number | null = null;
  let points: number | null = null;
  let priority = PRIORITIES[2] as JsonObject;
  const abandon = o.finish && !o.long && rng.chance(0.07); // long walks must end on the last step (see the loop)
  const target = o.finish && !abandon ? path.length - 1 : o.finish ? rng.int(0, path.length - 2) : rng.int(0, path.length - 2);
  const minSteps = o.long ? rng.int(105, 170) : 0;

  const move = (to: StatusDef) => {
    const items = [statusItem(cur, to)];
    const toDone = to.category === 'done';
    const next = toDone ? (to.id === wf.abandon ? 'wontdo' : 'done') : null;
    if (next !== resolution) items.push(resolutionItem(next, resolution));
    resolution = next;
    steps.push({ items, author: assignee ?? who(), status: to });
    cur = to;
  };
  const edit = () => {
    const r = rng.next();
    if (r < 0.35 && o.estimable) {
      const to = rng.pick(POINTS);
      steps.push({
        items: [{ field: 'Story point estimate', fieldtype: 'custom', fieldId: 'customfield_10016', from: null, fromString: points === null ? null : String(points), to: null, toString: String(to) }],
        author: who(),
      });
      points = to;
    } else if (r < 0.65) {
      const to = who();
      const u = o.users[to] as { accountId: string; displayName: string };
      const f = assignee === null ? null : (o.users[assignee] as { accountId: string; displayName: string });
      steps.push({
        items: [{ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: f?.accountId ?? null, fromString: f?.displayName ?? null, to: u.accountId, toString: u.displayName }],
        author: who(),
      });
      assignee = to;
    } else if (r < 0.8) {
      const to = rng.pick(PRIORITIES);
      steps.push({
        items: [{ field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: priority.id as string, fromString: priority.name as string, to: to.id as string, toString: to.name as string }],
        author: who(),
      });
      priority = to;
    } else {
      const label = rng.pick(['backend', 'frontend', 'tech-debt', 'sécurité', 'performance', 'ux']);
      steps.push({ items: [{ field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: '', to: null, toString: label }], author: who() });
    }
  };

  if (rng.chance(0.6)) edit();
  for (let guard = 0; guard < 600; guard++) {
    if (pos === target && steps.length >= minSteps) break;
    if (rng.chance(o.long ? 0.35 : 0.12)) edit();
    if (pos === target) {
      // Only long walks get here: reopen and go round again.
      pos = path.findIndex((s) => s.id === wf.rework);
      move(path[pos] as StatusDef);
      continue;
    }
    const inFlight = cur.category === 'doing';
    if (inFlight && rng.chance(0.07)) {
      pos = 0;
      move(path[0] as StatusDef); // backlog return
    } else if (inFlight && pos > path.findIndex((s) => s.id === wf.rework) && rng.chance(0.18)) {
      pos = path.findIndex((s) => s.id === wf.rework);
      move(path[pos] as StatusDef); // rework after review or QA
    } else if (inFlight && rng.chance(0.05)) {
      const back = cur;
      move(st(wf.blocked));
      move(back);
    } else {
      pos += 1;
      move(path[pos] as StatusDef);
    }
  }
  if (pos !== target) {
    pos = target;
    move(path[target] as StatusDef);
  }
  if (abandon) move(st(wf.abandon));
  if (points === null && o.estimable && rng.chance(0.75)) points = rng.pick(POINTS);
  return { steps, final: cur, storyPoints: points, priority, assignee };
}
