import { FullScreenMessage } from '../../components/FullScreenMessage';

/** Shown on a 401: the session cookie is missing or expired; only the access link can fix it. */
export function UnauthorizedScreen() {
  return (
    <FullScreenMessage testId="unauthorized" title="Access link needed">
      <p>
        This console needs its access link: open the URL printed by <code>sluice serve</code>.
      </p>
      <p className="muted">
        The link sets a session cookie in this browser and brings you back here. If the server was restarted, it printed a new
        link.
      </p>
    </FullScreenMessage>
  );
}
