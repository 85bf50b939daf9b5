import { useState, type FormEvent } from 'react';

import { ENTITY_INFO } from '../../../../shared/vectors/entities';
import { useAppStore } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';

import { score } from './format';

/** The search box over the tenant's work items and PRs; a result opens its detail. */
export function SearchPanel({ lexical }: { lexical: boolean }) {
  const search = useAppStore((s) => s.search);
  const runSearch = useAppStore((s) => s.runSearch);
  const openItem = useAppStore((s) => s.openItem);
  const selected = useAppStore((s) => s.item.target);
  const [query, setQuery] = useState(search.query);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim()) void runSearch(query.trim());
  };

  return (
    <section className="panel vectors-panel" data-testid="vector-search">
      <h2 className="panel-title">Search</h2>
      <form className="toolbar" role="search" onSubmit={submit}>
        <input
          className="input vectors-search-input"
          placeholder="Describe what you are looking for, e.g. login times out after SSO"
          aria-label="Search work items and pull requests"
          value={query}
          maxLength={500}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="vector-search-input"
        />
        <button type="submit" className="button primary" disabled={!query.trim() || search.state === 'loading'} data-testid="vector-search-submit">
          {search.state === 'loading' ? 'Searching…' : 'Search'}
        </button>
      </form>
      {lexical ? (
        <p className="muted small" data-testid="search-lexical-note">
          The offline embedder is lexical: results share words with your query; they are not matched by meaning.
        </p>
      ) : null}
      {search.state === 'error' && search.error ? (
        <Notice tone="error" testId="search-error">
          <MessageText text={search.error} />
        </Notice>
      ) : null}
      {search.state === 'ready' ? (
        search.hits.length === 0 ? (
          <p className="muted" data-testid="search-empty">
            Nothing found for “{search.query}”. Are the vectors complete (see the counts above)?
          </p>
        ) : (
          <ol className="search-results" data-testid="search-results">
            {search.hits.map((h) => (
              <li key={`${h.entity}-${h.id}`}>
                <button
                  type="button"
                  className={`search-result${selected?.entity === h.entity && selected.id === h.id ? ' selected' : ''}`}
                  onClick={() => void openItem(h.entity, h.id)}
                  data-testid="search-result"
                  data-key={h.key}
                  data-entity={h.entity}
                >
                  <span className="result-kind">{ENTITY_INFO[h.entity].label.replace(/s$/, '')}</span>
                  <span className="mono result-key">{h.key}</span>
                  <span className="result-title">{h.title || <span className="muted">(no title)</span>}</span>
                  <span className="muted small result-meta">
                    {h.integrationName ?? 'deleted integration'} · score {score(h.score)}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        )
      ) : null}
      {search.state === 'ready' && search.tookMs !== null ? <p className="muted small">{search.hits.length} result(s) in {search.tookMs} ms.</p> : null}
    </section>
  );
}
