import { describe, expect, it } from 'vitest';

import { createClient } from '../../api/client';
import { createAppStore, type AppStore } from '../../store';
import { memoryStorage } from '../../testing/fake-transport';
import { session } from '../../testing/fixtures';
import { renderStatic } from '../../testing/render-static';
import { disabledStatus, vectorsStatus, workItemDetail } from '../../testing/vector-fixtures';

import { completionState, percent, pointsNote } from './format';
import { VectorsPage } from './VectorsPage';

function render(setup: (store: AppStore) => void): string {
  const client = createClient();
  const store = createAppStore({ client, storage: memoryStorage() });
  store.setState({ selectedTenantId: 1, vectorsTenantId: 1, vectorsLoad: 'ready' });
  setup(store);
  return renderStatic(store, client, <VectorsPage />);
}

const rowOf = (html: string, entity: string): string => {
  const start = html.indexOf(`data-testid="vector-row-${entity}"`);
  return html.slice(start, html.indexOf('</tr>', start));
};

describe('VectorsPage', () => {
  it('says plainly when vectors are off, and shows nothing else', () => {
    const html = render((s) => s.setState({ vectors: disabledStatus() }));
    expect(html).toContain('data-testid="vectors-disabled"');
    expect(html).toContain('QDRANT_URL is not set');
    expect(html).not.toContain('data-testid="vector-counts"');
    expect(html).not.toContain('data-testid="vector-search"');
  });

  it('shows health, the double and the lexical embedder, and database vs vector counts with completion', () => {
    const html = render((s) => s.setState({ vectors: vectorsStatus() }));
    expect(html).toMatch(/data-testid="qdrant-health" data-state="up"/);
    expect(html).toContain('data-testid="qdrant-double"');
    expect(html).toContain('in-memory stand-in');
    expect(html).toMatch(/data-testid="embedder-note" data-lexical="true"/);
    expect(html).toContain('data-testid="search-lexical-note"');
    const items = rowOf(html, 'work_items');
    expect(items).toMatch(/data-state="catching-up" data-completion="80"/);
    expect(items).toContain('1,500');
    expect(items).toContain('1,200');
    expect(items).toContain('Demo Jira: 1,200 of 1,500');
    expect(items).toContain('80 %');
    expect(rowOf(html, 'prs')).toMatch(/data-state="complete" data-completion="100"/);
    expect(html.match(/data-testid="collection-row"/g)).toHaveLength(2);
  });

  it('a real Qdrant that is down shows its message and no double notice', () => {
    const html = render((s) => s.setState({ vectors: vectorsStatus({ qdrant: { url: 'http://q:6333', state: 'down', version: null, double: false, message: 'Qdrant is not reachable (ECONNREFUSED): start it or fix QDRANT_URL.', latencyMs: null } }) }));
    expect(html).toMatch(/data-testid="qdrant-health" data-state="down"/);
    expect(html).toContain('Qdrant is not reachable (ECONNREFUSED)');
    expect(html).not.toContain('data-testid="qdrant-double"');
  });

  it('lists search results and the opened detail with its vector', () => {
    const html = render((s) =>
      s.setState({
        vectors: vectorsStatus(),
        search: { query: 'login', hits: [{ entity: 'work_items', id: 5, integrationId: 1, integrationName: 'Demo Jira', key: 'PROJ-5', title: 'Login page times out', score: 0.8123 }], embedder: null, state: 'ready', error: null, tookMs: 9 },
        item: { target: { entity: 'work_items', id: 5 }, detail: workItemDetail(), state: 'ready', error: null },
      }),
    );
    expect(html).toMatch(/data-testid="search-result" data-key="PROJ-5" data-entity="work_items"/);
    expect(html).toContain('score 0.812');
    expect(html).toMatch(/data-testid="item-detail" data-key="PROJ-5"/);
    expect(html).toContain('After the SSO redirect the page spins.');
    expect(html).toContain('href="https://jira.example/browse/PROJ-5"');
    expect(html).toContain('Vector: offline-lexical-v1/384, embedded 2026-03-01 09:00 UTC.');
  });

  it('asks for a tenant first', () => {
    const html = render((s) => s.setState({ selectedTenantId: null }));
    expect(html).toContain('data-testid="no-tenant"');
  });
});

describe('vector formatting', () => {
  it('percent, completion state and the Qdrant vs bridge note', () => {
    expect(percent(97.5)).toBe('97.5 %');
    expect(percent(100)).toBe('100 %');
    const [items, prs] = vectorsStatus().entities;
    expect(completionState(items!)).toBe('catching-up');
    expect(completionState({ ...prs!, database: 0 })).toBe('empty');
    expect(pointsNote(items!)).toBeNull();
    expect(pointsNote({ ...prs!, points: 590 })).toBe('10 vector(s) are missing in Qdrant: use Re-embed all.');
    expect(pointsNote({ ...prs!, points: null })).toBe('The collection is missing in Qdrant: use Re-embed all.');
    expect(pointsNote({ ...prs!, points: 601 })).toBe('Qdrant holds 1 point(s) the bridge does not know.');
  });
});

describe('VectorsPage by role', () => {
  it('offers re-embedding to an operator, and to a viewer only the counts and the search, with the role line', () => {
    const operator = render((s) => s.setState({ vectors: vectorsStatus(), session: session('operator') }));
    expect(operator).toContain('data-testid="reembed-missing"');
    expect(operator).toContain('data-testid="reembed-all"');
    expect(operator).not.toContain('data-testid="role-notice"');
    const viewer = render((s) => s.setState({ vectors: vectorsStatus(), session: session('viewer') }));
    expect(viewer).toContain('data-testid="vector-row-work_items"');
    expect(viewer).toContain('data-testid="vector-search"');
    expect(viewer).not.toContain('data-testid="reembed-missing"');
    expect(viewer).not.toContain('data-testid="reembed-all"');
    expect(viewer).toContain('You are signed in as a viewer: changes are hidden.');
  });
});
