import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';

import { useAppStore } from '../../app/context';

/**
 * On a fresh desktop (`session.info.firstRun`) the console opens Settings, where the first-run
 * wizard offers the local stack or a platform profile. Once per app start: the user may still
 * leave Settings, and a later `session.changed` answer does not pull them back.
 */
export function FirstRunRedirect() {
  const firstRun = useAppStore((s) => s.session?.firstRun ?? false);
  const navigate = useNavigate();
  const done = useRef(false);
  useEffect(() => {
    if (!firstRun || done.current) return;
    done.current = true;
    void navigate('/settings', { replace: true });
  }, [firstRun, navigate]);
  return null;
}
