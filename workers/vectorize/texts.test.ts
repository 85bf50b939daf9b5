import { describe, expect, it } from 'vitest';

import { ENTITY_SPECS, MAX_BODY_CHARS, prText, textHash, workItemText, WorkItemRow } from './texts';

const item = WorkItemRow.parse({
  id: '12',
  integration_id: '3',
  raw_id: '99',
  key: 'PROJ-12',
  project_key: 'PROJ',
  summary: 'Login page times out',
  description: 'After the SSO redirect\n\nthe page   spins forever.',
  wit_name: 'Bug',
  wit_to: 'Defect',
  status_name: 'In Review',
  workflow_step: 'Review',
  workflow_category: 'In Progress',
  priority: 'High',
  resolution: null,
  labels: ['sso', 'frontend'],
  components: null,
  parent_key: 'PROJ-1',
});

describe('entity texts', () => {
  it('a work item reads as labelled lines of what people search by', () => {
    expect(workItemText(item)).toBe(
      [
        'PROJ-12 Login page times out',
        'Type: Defect (Bug)',
        'Status: In Review (Review, In Progress)',
        'Project: PROJ',
        'Parent: PROJ-1',
        'Priority: High',
        'Labels: sso, frontend',
        'Description: After the SSO redirect the page spins forever.',
      ].join('\n'),
    );
  });

  it('a status change changes the hash; nothing outside the text does', () => {
    const moved = { ...item, status_name: 'Done', workflow_category: 'Done', workflow_step: 'Done' };
    expect(textHash(workItemText(moved))).not.toBe(textHash(workItemText(item)));
    expect(textHash(workItemText({ ...item, raw_id: 100, id: 13 }))).toBe(textHash(workItemText(item)));
    expect(textHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a PR reads as repo#number title, state, branches and body; long bodies are cut', () => {
    const raw = { id: 5, integration_id: 2, raw_id: 7, repo_full_name: 'acme/web', number: 34, title: 'Fix SSO timeout (PROJ-12)', body: 'x'.repeat(MAX_BODY_CHARS + 50), state: 'OPEN', is_draft: true, source_branch: 'fix/sso', target_branch: 'main' };
    const row = ENTITY_SPECS.prs.toRow(raw);
    expect(row).toMatchObject({ id: 5, integrationId: 2, rawId: 7, key: 'acme/web#34', title: 'Fix SSO timeout (PROJ-12)' });
    const lines = row.text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['acme/web#34 Fix SSO timeout (PROJ-12)', 'State: OPEN (draft)', 'Branch: fix/sso → main']);
    expect(lines[3]).toHaveLength('Description: '.length + MAX_BODY_CHARS + 1);
    expect(prText({ ...raw, body: '', is_draft: false } as never).split('\n')).toHaveLength(3);
  });

  it('the selected columns are exactly what the row schemas read', () => {
    expect(ENTITY_SPECS.work_items.select).toContain('e.summary');
    expect(ENTITY_SPECS.prs.select).toEqual(['e.id', 'e.integration_id', 'e.raw_id', 'e.repo_full_name', 'e.number', 'e.title', 'e.body', 'e.state', 'e.is_draft', 'e.source_branch', 'e.target_branch']);
  });
});
