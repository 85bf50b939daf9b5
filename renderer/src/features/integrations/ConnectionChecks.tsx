import type { MethodOutput } from '../../../../shared/contract/api';

/** The result of a connection test: one line per check, glyph + word + the API's own detail. */
export function ConnectionChecks({ result }: { result: MethodOutput<'integrations.testConnection'> }) {
  return (
    <div className="connection-result" data-testid="connection-result" data-ok={String(result.ok)}>
      <div className="strong">{result.ok ? 'Connection works: every check passed.' : 'Some checks failed: see what to fix below.'}</div>
      <ul className="check-list">
        {result.checks.map((check) => (
          <li key={check.name} data-testid="connection-check" data-ok={String(check.ok)}>
            <span className={`glyph ${check.ok ? 'ok' : 'bad'}`} aria-hidden="true">
              {check.ok ? '✓' : '✕'}
            </span>
            <span className="strong">
              {check.name}
              <span className="visually-hidden">{check.ok ? ' passed' : ' failed'}</span>
            </span>
            <span>{check.detail}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
