import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';

import { allContainers, ancestorsOf, buildLines, expandToDepth, pathString, searchJson, type JsonLine, type JsonPath } from './json-tree';

const LINE_HEIGHT = 20;

/**
 * The payload viewer for large JSON (10 MB and more): the document as lines of what is expanded,
 * virtualized (json-tree.ts), with folding, search over the whole document (a match opens its
 * ancestors and scrolls to it) and "copy path" on every line.
 */
export function JsonViewer({ value, testId = 'json-viewer' }: { value: unknown; testId?: string }) {
  const [expanded, setExpanded] = useState<Set<string>>(() => expandToDepth(value, 2));
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<{ paths: JsonPath[]; truncated: boolean } | null>(null);
  const [current, setCurrent] = useState(0);
  const [status, setStatus] = useState<string | null>(null);
  const parent = useRef<HTMLDivElement>(null);
  const lines = useMemo(() => buildLines(value, expanded), [value, expanded]);
  // The virtualizer returns fresh functions each render, so the compiler leaves this component
  // unmemoized (rows are memoized on their own); a list re-measured on scroll needs no more.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => parent.current, estimateSize: () => LINE_HEIGHT, overscan: 30 });
  const currentPath = matches && matches.paths.length > 0 ? pathString(matches.paths[current]!) : null;

  const toggle = (line: JsonLine): void => {
    const next = new Set(expanded);
    if (line.role === 'open') next.delete(line.path);
    else next.add(line.path);
    setExpanded(next);
  };

  const reveal = (segments: JsonPath): void => {
    setExpanded((prev) => {
      const next = new Set(prev);
      for (const a of ancestorsOf(segments)) next.add(a);
      return next;
    });
  };

  // After a reveal the lines change: scroll to the current match once they are there.
  useEffect(() => {
    if (!currentPath) return;
    const index = lines.findIndex((l) => l.path === currentPath && l.role !== 'close');
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
  }, [currentPath, lines, virtualizer]);

  const runSearch = (): void => {
    const found = searchJson(value, query);
    setMatches(found);
    setCurrent(0);
    if (found.paths[0]) reveal(found.paths[0]);
  };
  const step = (delta: number): void => {
    if (!matches || matches.paths.length === 0) return;
    const next = (current + delta + matches.paths.length) % matches.paths.length;
    setCurrent(next);
    reveal(matches.paths[next]!);
  };
  const copy = async (path: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(path);
      setStatus(`Copied ${path}`);
    } catch {
      setStatus(`Could not use the clipboard here; the path is ${path}`);
    }
  };

  return (
    <div className="json-viewer" data-testid={testId} data-ready="true" data-lines={lines.length}>
      <div className="json-toolbar">
        <form
          className="inline-row"
          onSubmit={(e) => {
            e.preventDefault();
            runSearch();
          }}
        >
          <input className="input" placeholder="Search keys and values" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="json-search" aria-label="Search the payload" />
          <button type="submit" className="button small" data-testid="json-search-go">
            Find
          </button>
        </form>
        {matches ? (
          <span className="json-matches" data-testid="json-matches">
            {matches.paths.length === 0 ? 'No match' : `${current + 1} of ${matches.paths.length}${matches.truncated ? '+' : ''}`}
            <button type="button" className="button small ghost" onClick={() => step(-1)} disabled={matches.paths.length === 0} aria-label="Previous match">
              ↑
            </button>
            <button type="button" className="button small ghost" onClick={() => step(1)} disabled={matches.paths.length === 0} aria-label="Next match" data-testid="json-next">
              ↓
            </button>
          </span>
        ) : null}
        <button type="button" className="button small ghost" onClick={() => setExpanded(allContainers(value))} data-testid="json-expand-all">
          Expand all
        </button>
        <button type="button" className="button small ghost" onClick={() => setExpanded(new Set())} data-testid="json-collapse-all">
          Collapse all
        </button>
      </div>
      {status ? (
        <div className="json-status muted" data-testid="json-status" role="status">
          {status}
        </div>
      ) : null}
      <div className="json-lines" ref={parent} tabIndex={0} aria-label="Payload">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = lines[item.index]!;
            const foldable = line.role !== 'close' && (line.type === 'object' || line.type === 'array') && line.size > 0;
            const hit = currentPath === line.path && line.role !== 'close';
            return (
              <div
                key={item.key}
                className={`json-line${hit ? ' hit' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, paddingLeft: 8 + line.depth * 16 }}
                data-testid="json-line"
                data-path={line.path}
                data-role={line.role}
              >
                {foldable ? (
                  <button type="button" className="json-fold" onClick={() => toggle(line)} aria-label={`${line.role === 'open' ? 'Fold' : 'Unfold'} ${line.path}`} data-testid="json-fold">
                    {line.role === 'open' ? '▾' : '▸'}
                  </button>
                ) : (
                  <span className="json-fold-space" />
                )}
                {line.key !== null && line.role !== 'close' ? <span className="json-key">{typeof line.key === 'number' ? line.key : JSON.stringify(line.key)}: </span> : null}
                <span className={`json-value json-${line.role === 'leaf' ? line.type : 'punct'}`}>{line.text}</span>
                {line.comma ? <span className="json-punct">,</span> : null}
                {line.role !== 'close' ? (
                  <button type="button" className="json-copy" onClick={() => void copy(line.path)} title={`Copy ${line.path}`} data-testid="json-copy">
                    copy path
                  </button>
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
