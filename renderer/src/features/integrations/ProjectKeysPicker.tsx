import { useState } from 'react';

import type { RemoteProject } from '../../../../shared/contract/integrations';
import { Notice } from '../../components/Notice';
import { MessageText } from '../../components/MessageText';
import { describeError } from '../../store/describe-error';

import { parseKeyList } from './form-model';

type Remote = { status: 'idle' | 'loading' } | { status: 'loaded'; projects: RemoteProject[]; truncated: boolean } | { status: 'error'; message: string };

/**
 * Jira project keys: picked from the site's own project list when it can be loaded (with the
 * form's current URL, email and token), typed by hand otherwise. Keys already chosen stay visible
 * even when the remote list does not have them (a project since archived, a typo to remove).
 */
export function ProjectKeysPicker({ id, value, onChange, load }: { id: string; value: string[]; onChange: (keys: string[]) => void; load: () => Promise<{ projects: RemoteProject[]; truncated: boolean }> }) {
  const [remote, setRemote] = useState<Remote>({ status: 'idle' });
  const [filter, setFilter] = useState('');
  const [manual, setManual] = useState('');

  const fetchProjects = async () => {
    setRemote({ status: 'loading' });
    try {
      setRemote({ status: 'loaded', ...(await load()) });
    } catch (error) {
      setRemote({ status: 'error', message: describeError(error) });
    }
  };
  const toggle = (key: string) => onChange(value.includes(key) ? value.filter((k) => k !== key) : [...value, key]);
  const addManual = () => {
    const keys = parseKeyList(manual);
    if (keys.length === 0) return;
    onChange([...new Set([...value, ...keys])]);
    setManual('');
  };
  const needle = filter.trim().toLowerCase();
  const shown = remote.status === 'loaded' ? remote.projects.filter((p) => !needle || p.key.toLowerCase().includes(needle) || p.name.toLowerCase().includes(needle)) : [];

  return (
    <div className="project-picker" data-testid="project-picker">
      <div className="chips" data-testid="project-keys">
        {value.length === 0 ? <span className="muted">No keys: every project the account can see is extracted.</span> : null}
        {value.map((key) => (
          <span className="chip" key={key} data-testid={`project-chip-${key}`}>
            {key}
            <button type="button" aria-label={`Remove ${key}`} onClick={() => toggle(key)}>
              ×
            </button>
          </span>
        ))}
      </div>
      <div className="inline-row" style={{ marginTop: 8 }}>
        <button type="button" className="button small" onClick={() => void fetchProjects()} disabled={remote.status === 'loading'} data-testid="load-projects">
          {remote.status === 'loading' ? 'Loading projects…' : remote.status === 'loaded' ? 'Reload from Jira' : 'Choose from Jira'}
        </button>
        <input
          id={id}
          className="input"
          style={{ maxWidth: 220 }}
          placeholder="or type keys: ENG, OPS"
          value={manual}
          onChange={(e) => setManual(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              addManual();
            }
          }}
          aria-label="Project keys to add"
          data-testid="project-keys-manual"
        />
        <button type="button" className="button small" onClick={addManual} data-testid="add-project-keys">
          Add
        </button>
      </div>
      {remote.status === 'error' ? (
        <div style={{ marginTop: 8 }}>
          <Notice tone="error" testId="projects-error">
            <MessageText text={remote.message} />
          </Notice>
        </div>
      ) : null}
      {remote.status === 'loaded' ? (
        <div style={{ marginTop: 8 }}>
          <input className="input" placeholder="Filter projects" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter projects" data-testid="project-filter" />
          <div className="picker-list" style={{ marginTop: 6 }} data-testid="project-options">
            {shown.length === 0 ? <div className="muted">No project matches.</div> : null}
            {shown.map((p) => (
              <label key={p.key} data-testid={`project-option-${p.key}`}>
                <input type="checkbox" checked={value.includes(p.key)} onChange={() => toggle(p.key)} />
                <span className="mono">{p.key}</span> <span className="muted">{p.name}</span>
              </label>
            ))}
          </div>
          {remote.truncated ? <div className="field-hint">Showing the first {remote.projects.length} projects; type other keys by hand.</div> : null}
        </div>
      ) : null}
    </div>
  );
}
