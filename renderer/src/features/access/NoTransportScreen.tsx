import { FullScreenMessage } from '../../components/FullScreenMessage';

/** Opened from disk without the desktop bridge: nothing can reach the engine. */
export function NoTransportScreen() {
  return (
    <FullScreenMessage testId="no-transport" title="Cannot reach the engine">
      <p>This page was opened outside the Sluice app, so it has no way to talk to the engine.</p>
      <p className="muted">
        Start the desktop app, or run <code>sluice serve</code> and open the URL it prints.
      </p>
    </FullScreenMessage>
  );
}
