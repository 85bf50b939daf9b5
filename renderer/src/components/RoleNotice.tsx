import type { MethodName } from '../../../shared/contract/api';
import { useHiddenControlsLine } from '../app/use-can';

/**
 * Says once, quietly, that a screen hides controls the signed-in role cannot use, so a viewer
 * does not wonder where the buttons went. `calls` are the mutating calls the screen's controls make.
 */
export function RoleNotice({ calls }: { calls: readonly MethodName[] }) {
  const line = useHiddenControlsLine(calls);
  if (line === null) return null;
  return (
    <p className="muted small role-notice" data-testid="role-notice">
      {line}
    </p>
  );
}
