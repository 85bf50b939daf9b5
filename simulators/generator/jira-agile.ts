/** Scrum boards and sprints (Jira Software agile API shapes), one board per project. */
import type { JiraProject, JsonObject } from '../world/types';
import { JIRA_SITE } from './jira-catalog';
import { DAY } from './time';

export interface SprintDef {
  id: number;
  boardId: number;
  name: string;
  state: 'closed' | 'active' | 'future';
  start: number;
  end: number;
  goal: string;
}

const GOALS = ['Stabiliser le paiement', 'Ship onboarding v2', 'Reduce p95 latency', 'Clean up tech debt', 'Préparer la démo client', ''];

/** Two-week sprints ending with the active one (around the anchor) and one future sprint. */
export function makeSprints(projects: readonly JiraProject[], closedPerProject: number, anchor: number, firstId = 1): SprintDef[] {
  const out: SprintDef[] = [];
  let id = firstId;
  projects.forEach((p, i) => {
    const boardId = i + 1;
    const activeStart = anchor - 7 * DAY - (i % 3) * DAY;
    for (let n = -closedPerProject; n <= 1; n++) {
      const start = activeStart + n * 14 * DAY;
      out.push({
        id: id++,
        boardId,
        name: `${p.key} Sprint ${closedPerProject + n + 1}`,
        state: n < 0 ? 'closed' : n === 0 ? 'active' : 'future',
        start,
        end: start + 14 * DAY,
        goal: GOALS[(n + closedPerProject + i) % GOALS.length] as string,
      });
    }
  });
  return out;
}

export function boardOf(project: JiraProject, index: number): JsonObject {
  const id = index + 1;
  return {
    id,
    self: `${JIRA_SITE}/rest/agile/1.0/board/${id}`,
    name: `${project.key} board`,
    type: 'scrum',
    location: {
      projectId: Number(project.id),
      displayName: `${project.name} (${project.key})`,
      projectName: project.name,
      projectKey: project.key,
      projectTypeKey: 'software',
      avatarURI: `${JIRA_SITE}/rest/api/2/universal_avatar/view/type/project/avatar/10400?size=small`,
      name: `${project.name} (${project.key})`,
    },
  };
}

/** The agile API's Sprint (GET /rest/agile/1.0/sprint/{id}). */
export function agileSprint(s: SprintDef): JsonObject {
  const out: JsonObject = {
    id: s.id,
    self: `${JIRA_SITE}/rest/agile/1.0/sprint/${s.id}`,
    state: s.state,
    name: s.name,
    createdDate: new Date(s.start - 3 * DAY).toISOString(),
    originBoardId: s.boardId,
    goal: s.goal,
  };
  if (s.state !== 'future') {
    out.startDate = new Date(s.start).toISOString();
    out.endDate = new Date(s.end).toISOString();
  }
  if (s.state === 'closed') out.completeDate = new Date(s.end + 2 * 3_600_000).toISOString();
  return out;
}

/** The sprint as embedded in the Sprint custom field. */
export function fieldSprint(s: SprintDef): JsonObject {
  const a = agileSprint(s);
  const out: JsonObject = { id: s.id, name: s.name, state: s.state, boardId: s.boardId, goal: s.goal };
  if (a.startDate) out.startDate = a.startDate;
  if (a.endDate) out.endDate = a.endDate;
  if (a.completeDate) out.completeDate = a.completeDate;
  return out;
}
