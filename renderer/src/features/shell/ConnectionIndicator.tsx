import { useAppStore } from '../../app/context';
import type { ConnectionState } from '../../api/transport';

const labels: Record<ConnectionState, { text: string; hint: string }> = {
  connected: { text: 'Live', hint: 'Live updates are flowing from the engine.' },
  connecting: { text: 'Connecting…', hint: 'Opening the live connection to the engine.' },
  reconnecting: {
    text: 'Reconnecting…',
    hint: 'The live connection dropped; retrying. Screens show the last data received.',
  },
  unauthorized: { text: 'Signed out', hint: 'Open the access link printed by `sluice serve`.' },
};

/** Colour plus text: the state must read without colour vision. */
export function ConnectionIndicator() {
  const connection = useAppStore((s) => s.connection);
  const { text, hint } = labels[connection];
  return (
    <div className={`connection connection-${connection}`} data-testid="connection-state" data-state={connection} title={hint}>
      <span className="connection-dot" aria-hidden="true" />
      <span>{text}</span>
    </div>
  );
}
