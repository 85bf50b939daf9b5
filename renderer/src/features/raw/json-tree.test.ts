import { describe, expect, it } from 'vitest';

import { allContainers, ancestorsOf, buildLines, expandToDepth, pathString, searchJson, valueAt } from './json-tree';

const doc = { search: { issues: [{ id: '1', key: 'ENG-1', 'odd key': true }, { id: '2', key: 'ENG-2', fields: null }] }, total: 2, note: 'x'.repeat(500) };

describe('json-tree', () => {
  it('writes JSON paths, quoting keys that are not identifiers', () => {
    expect(pathString([])).toBe('$');
    expect(pathString(['search', 'issues', 0, 'odd key'])).toBe('$.search.issues[0]["odd key"]');
  });

  it('shows only what is expanded: folded containers are one summary line', () => {
    const lines = buildLines(doc, new Set());
    expect(lines.map((l) => [l.path, l.role, l.text.slice(0, 12)])).toEqual([
      ['$', 'open', '{'],
      ['$.search', 'leaf', '{ 1 key }'],
      ['$.total', 'leaf', '2'],
      ['$.note', 'leaf', `"${'x'.repeat(11)}`],
      ['$', 'close', '}'],
    ]);
    expect(lines[3]!.text).toMatch(/… \(502 chars\)$/);
    expect(lines.map((l) => l.comma)).toEqual([false, true, true, false, false]);
  });

  it('opens containers by path, with closing lines and depths', () => {
    const lines = buildLines(doc, new Set(['$.search', '$.search.issues', '$.search.issues[1]']));
    const issues = lines.filter((l) => l.path.startsWith('$.search.issues'));
    expect(issues.map((l) => `${'  '.repeat(l.depth)}${l.key ?? ''}:${l.role}`)).toEqual([
      '    issues:open',
      '      0:leaf',
      '      1:open',
      '        id:leaf',
      '        key:leaf',
      '        fields:leaf',
      '      :close',
      '    :close',
    ]);
    expect(buildLines(doc, allContainers(doc)).filter((l) => l.role === 'open')).toHaveLength(5);
    expect([...expandToDepth(doc, 2)]).toEqual(['$', '$.search']);
  });

  it('builds each line\'s path from its parent\'s, the same as writing it from the segments', () => {
    const expected: string[] = [];
    const walk = (v: unknown, segments: (string | number)[]): void => {
      expected.push(pathString(segments));
      if (v !== null && typeof v === 'object') for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) walk(x, [...segments, k]);
    };
    walk(doc, []);
    const lines = buildLines(doc, allContainers(doc)).filter((l) => l.role !== 'close');
    expect(lines.map((l) => l.path)).toEqual(expected);
    expect(expected).toContain('$.search.issues[0]["odd key"]');
    expect([...allContainers(doc)]).toEqual(['$', '$.search', '$.search.issues', '$.search.issues[0]', '$.search.issues[1]']);
  });

  it('finds keys and values anywhere, folded or not, and the ancestors to open', () => {
    const found = searchJson(doc, 'eng-2');
    expect(found.paths.map(pathString)).toEqual(['$.search.issues[1].key']);
    expect(searchJson(doc, 'ODD').paths.map(pathString)).toEqual(['$.search.issues[0]["odd key"]']);
    expect(searchJson(doc, 'null').paths.map(pathString)).toEqual(['$.search.issues[1].fields']);
    expect(searchJson(doc, 'e', 2)).toMatchObject({ truncated: true });
    expect(ancestorsOf(['search', 'issues', 1, 'key'])).toEqual(['$', '$.search', '$.search.issues', '$.search.issues[1]']);
    expect(valueAt(doc, ['search', 'issues', 1, 'key'])).toBe('ENG-2');
  });

  it('keeps a 10 MB payload cheap: lines for what is open, search over everything', () => {
    const big = { issues: Array.from({ length: 20_000 }, (_, i) => ({ id: String(i), key: `ENG-${i}`, fields: { summary: 'y'.repeat(400), labels: ['a', 'b'] } })) };
    expect(JSON.stringify(big).length).toBeGreaterThan(9_000_000);
    const started = performance.now();
    const lines = buildLines(big, new Set(['$.issues']));
    expect(lines).toHaveLength(20_004);
    const hits = searchJson(big, 'ENG-19999');
    expect(hits.paths.map(pathString)).toEqual(['$.issues[19999].key']);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
