import { canCall, methods, type MethodName } from '../../../shared/contract/api';
import { withArticle, type Role } from '../../../shared/contract/roles';
import type { SessionInfo } from '../../../shared/contract/session';

import { useAppStore } from './context';

/**
 * Whether the signed-in role may call `method`, from the method's own declaration: screens name
 * the call a control makes, never a role. False until `session.info` has answered, so a viewer
 * never sees admin controls flash by; the engine refuses the call anyway.
 */
export const sessionCan = (session: SessionInfo | null, method: MethodName): boolean => session !== null && canCall(session.role, method);

export function useCan(method: MethodName): boolean {
  return useAppStore((s) => sessionCan(s.session, method));
}

/**
 * The quiet line a screen shows when it hides some of its controls, or null when nothing is hidden
 * (or the role is not known yet); when only some are hidden it names the role they need.
 */
export function hiddenControlsLine(session: SessionInfo | null, calls: readonly MethodName[]): string | null {
  if (session === null) return null;
  const hidden = calls.filter((m) => !canCall(session.role, m));
  if (hidden.length === 0) return null;
  if (hidden.length === calls.length) return `You are signed in as ${withArticle(session.role)}: changes are hidden.`;
  // Some remain: say which ones went, by the least role they need ('operator' before 'admin').
  const needs: Role = hidden.some((m) => methods[m].role === 'operator') ? 'operator' : 'admin';
  return `You are signed in as ${withArticle(session.role)}: changes that need ${withArticle(needs)} are hidden.`;
}

export function useHiddenControlsLine(calls: readonly MethodName[]): string | null {
  return useAppStore((s) => hiddenControlsLine(s.session, calls));
}
