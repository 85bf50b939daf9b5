/**
 * Builders of small hand-made Jira payloads for the transform's unit tests (edge cases the generated
 * world does not pin down). Realistic data comes from the simulator in tests/integration/jira-*.test.ts.
 */
import { EMPTY_MAPPINGS, type JiraMappings } from './mappings-schema';

type Json = Record<string, unknown>;

export const category = (key: 'new' | 'indeterminate' | 'done' | 'undefined'): Json =>
  ({ new: { id: 2, key: 'new', name: 'To Do' }, indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress' }, done: { id: 3, key: 'done', name: 'Done' }, undefined: { id: 1, key: 'undefined', name: 'No Category' } })[key];

export const STATUS = {
  backlog: { id: '10000', name: 'Backlog', statusCategory: category('new') },
  selected: { id: '10002', name: 'Selected for Development', statusCategory: category('new') },
  inProgress: { id: '3', name: 'In Progress', statusCategory: category('indeterminate') },
  review: { id: '10003', name: 'In Review', statusCategory: category('indeterminate') },
  done: { id: '10006', name: 'Done', statusCategory: category('done') },
  wontDo: { id: '10007', name: "Won't Do", statusCategory: category('done') },
  odd: { id: '20000', name: 'Parked Somewhere', statusCategory: category('indeterminate') },
} as const;
type StatusRef = (typeof STATUS)[keyof typeof STATUS];

let historyId = 500;

export const statusChange = (created: string, from: StatusRef, to: StatusRef, extra: Json[] = [], author = 'Mia Krystof'): Json => ({
  id: String((historyId += 1)),
  created,
  author: { accountId: `acc-${author}`, displayName: author },
  items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name }, ...extra],
});

export const fieldChange = (created: string, item: Json): Json => ({ id: String((historyId += 1)), created, author: { displayName: 'Bot' }, items: [item] });

export const issue = (over: { id?: string; key?: string; status?: StatusRef; created?: string; updated?: string; histories?: Json[]; total?: number; fields?: Json } = {}): Json => {
  const histories = [...(over.histories ?? [])].reverse(); // embedded changelogs are newest first
  return {
    id: over.id ?? '10001',
    key: over.key ?? 'ENG-1',
    self: 'https://x.atlassian.net/rest/api/3/issue/10001',
    fields: {
      summary: 'Fix the thing',
      description: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'It is broken.' }] }] },
      issuetype: { id: '10001', name: 'Story', hierarchyLevel: 0, subtask: false },
      project: { id: '10000', key: 'ENG', name: 'Engineering' },
      status: over.status ?? STATUS.backlog,
      priority: { id: '3', name: 'Medium' },
      assignee: { accountId: 'acc-1', displayName: 'Ana Lima' },
      reporter: { accountId: 'acc-2', displayName: 'Bo Chen' },
      created: over.created ?? '2024-01-01T10:00:00.000+0100',
      updated: over.updated ?? '2024-01-10T10:00:00.000+0100',
      resolutiondate: null,
      resolution: null,
      labels: ['backend'],
      components: [{ id: '1', name: 'API' }],
      parent: null,
      duedate: null,
      ...over.fields,
    },
    changelog: { startAt: 0, maxResults: histories.length, total: over.total ?? histories.length, histories },
  };
};

export const searchPage = (issues: Json[], extra: Json = {}): Json => ({ search: { issues, isLast: true, ...extra }, changelogs: {} });

/** A small workflow in the spirit of the seed: Backlog < To Do (commitment) < In Progress < Done, plus Discarded. */
export const MAPPINGS: JiraMappings = {
  ...EMPTY_MAPPINGS,
  wits: [
    { witFrom: 'Story', witTo: 'Story', hierarchyLevel: 0, hierarchyName: 'Story' },
    { witFrom: 'Epic', witTo: 'Epic', hierarchyLevel: 1, hierarchyName: 'Epic' },
  ],
  workflow: [
    { stepName: 'Backlog', stepNumber: 1, stepCategory: 'To Do', isCommitmentPoint: false },
    { stepName: 'To Do', stepNumber: 4, stepCategory: 'To Do', isCommitmentPoint: true },
    { stepName: 'In Progress', stepNumber: 5, stepCategory: 'In Progress', isCommitmentPoint: false },
    { stepName: 'Done', stepNumber: 11, stepCategory: 'Done', isCommitmentPoint: false },
    { stepName: 'Discarded', stepNumber: null, stepCategory: 'Discarded', isCommitmentPoint: false },
  ],
  statuses: [
    { statusFrom: 'backlog', stepName: 'Backlog', stepNumber: 1, category: 'To Do' },
    { statusFrom: 'Selected for Development', stepName: 'To Do', stepNumber: 4, category: 'To Do' },
    { statusFrom: 'In Progress', stepName: 'In Progress', stepNumber: 5, category: 'In Progress' },
    { statusFrom: 'In Review', stepName: 'In Progress', stepNumber: 5, category: 'In Progress' },
    { statusFrom: 'DONE', stepName: 'Done', stepNumber: 11, category: 'Done' },
    { statusFrom: "Won't Do", stepName: 'Discarded', stepNumber: null, category: 'Discarded' },
  ],
};
