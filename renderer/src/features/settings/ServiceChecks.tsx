import type { MethodOutput } from '../../../../shared/contract/api';

import { serviceLabel } from './profile-form-model';

const glyph = { up: '✓', down: '✕', not_configured: '–' } as const;
const word = { up: 'works', down: 'failed', not_configured: 'not set' } as const;

/** Test-connection results per service: glyph + word + the engine's precise sentence. */
export function ServiceChecks({ result }: { result: MethodOutput<'profiles.test'> }) {
  return (
    <div className="connection-result" data-testid="profile-test-result" data-ok={String(result.ok)}>
      <div className="strong">{result.ok ? 'Every configured service answers.' : 'Some services cannot be reached: see what to fix below.'}</div>
      <ul className="check-list">
        {result.checks.map((check) => (
          <li key={check.service} data-testid={`service-check-${check.service}`} data-state={check.state}>
            <span className={`glyph ${check.state === 'up' ? 'ok' : check.state === 'down' ? 'bad' : ''}`} aria-hidden="true">
              {glyph[check.state]}
            </span>
            <span className="strong">
              {serviceLabel(check.service)}
              <span className="visually-hidden"> {word[check.state]}</span>
            </span>
            <span>
              {check.message}
              {check.latencyMs !== null ? <span className="muted small"> ({check.latencyMs} ms)</span> : null}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
