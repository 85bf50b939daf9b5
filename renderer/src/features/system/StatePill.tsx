import type { ServiceState } from '../../../../shared/contract/system';

import { stateLabels } from './format';

const glyphs: Record<ServiceState, string> = { up: '●', down: '✕', not_configured: '○' };

/** Colour, glyph and word together, so the state reads without colour vision. */
export function StatePill({ state }: { state: ServiceState }) {
  return (
    <span className={`pill pill-${state}`} data-testid="service-state">
      <span aria-hidden="true">{glyphs[state]}</span> {stateLabels[state]}
    </span>
  );
}
