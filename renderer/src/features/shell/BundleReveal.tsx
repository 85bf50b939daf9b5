import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';

import { useClient } from '../../app/context';
import { useCan } from '../../app/use-can';

/**
 * Shows a bundle the OS or the CLI opened on this machine (double-click, argv, `sluice open`): asks
 * once at start (the file may have opened before this page loaded) and again on `bundle.opened`,
 * claiming it so only one console jumps to it, then opens the inspector in bundle mode.
 */
export function BundleReveal() {
  const client = useClient();
  const navigate = useNavigate();
  // useNavigate changes with every route change (HashRouter); the claim must survive those (the
  // start-up redirect to /jobs lands while it is in flight), so the effect reads it from a ref.
  const go = useRef(navigate);
  useEffect(() => {
    go.current = navigate;
  }, [navigate]);
  const can = useCan('bundle.list');
  useEffect(() => {
    if (!can) return;
    let live = true;
    const claim = (): void => {
      client.call('bundle.list', { claim: true }).then(
        ({ reveal }) => {
          if (live && reveal) void go.current(`/raw/bundle/${reveal}`);
        },
        () => undefined,
      );
    };
    claim();
    const stop = client.subscribe('bundle.opened', claim);
    return () => {
      live = false;
      stop();
    };
  }, [client, can]);
  return null;
}
