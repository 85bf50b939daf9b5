import { useAppStore } from '../../app/context';

/**
 * Who the console talks as: the role (what the screens hide follows from it), the principal as a
 * tooltip, and the active connection profile when there is one. Nothing until `session.info` answers.
 */
export function SessionBadge() {
  const session = useAppStore((s) => s.session);
  if (!session) return null;
  const { role, principal, profile } = session;
  return (
    <div className="session-badge" data-testid="session-badge" data-role={role} data-profile={profile?.name ?? ''} title={`Signed in as ${principal} (${role})`}>
      {profile ? (
        <span className="session-profile" data-testid="session-profile">
          {profile.name}
        </span>
      ) : null}
      <span className={`session-role role-${role}`} data-testid="session-role">
        {role}
      </span>
    </div>
  );
}
