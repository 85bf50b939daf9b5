import { useEffect, useState } from 'react';

import type { MethodOutput } from '../../../../shared/contract/api';
import type { ProfilesState, ProfileView } from '../../../../shared/contract/profiles';
import type { SessionInfo } from '../../../../shared/contract/session';
import { useClient } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { ProfileForm, type ProfileTarget } from './ProfileForm';
import { serviceLabel, SERVICES } from './profile-form-model';
import { ServiceChecks } from './ServiceChecks';

const kindLabel: Record<ProfileView['kind'], string> = { local: 'Local stack', remote: 'Platform', environment: 'Environment', file: 'Profile file' };
const protectionText: Record<ProfilesState['storage']['protection'], string> = {
  os: "Passwords and keys are sealed by this computer's keychain and never shown again.",
  weak: 'Passwords are only obfuscated on this computer.',
  unavailable: 'This computer has no keychain Sluice can use: profiles can be saved without passwords only.',
  not_stored: 'This console shows the profile of the server it talks to.',
};

export interface ProfilesViewProps {
  readonly state: ProfilesState;
  readonly session: SessionInfo | null;
  readonly tests: Readonly<Record<string, MethodOutput<'profiles.test'>>>;
  readonly busyId: string | null;
  readonly onNew: (kind: 'local' | 'remote') => void;
  readonly onEdit: (profile: ProfileView) => void;
  readonly onTest: (profile: ProfileView) => void;
  readonly onActivate: (profile: ProfileView) => void;
  readonly onDelete: (profile: ProfileView) => void;
}

/** The first-run choice: the embedded local stack, or a platform's services. */
export function FirstRunWizard({ onNew }: Pick<ProfilesViewProps, 'onNew'>) {
  return (
    <div className="panel first-run" data-testid="first-run-wizard">
      <div className="panel-title">Welcome to Sluice: where should it connect?</div>
      <div className="choice-grid">
        <button type="button" className="choice" onClick={() => onNew('local')} data-testid="first-run-local">
          <span className="strong">This computer</span>
          <span className="muted">Start the embedded local stack (Postgres, RabbitMQ, Redis): nothing to install or configure.</span>
        </button>
        <button type="button" className="choice" onClick={() => onNew('remote')} data-testid="first-run-remote">
          <span className="strong">A Sluice platform</span>
          <span className="muted">Connect to the Postgres, RabbitMQ, Redis and Qdrant of a shared staging or production platform.</span>
        </button>
      </div>
    </div>
  );
}

/** The profiles as data: what is active, where each points, which secrets are stored (hints only). */
export function ProfilesView({ state, session, tests, busyId, onNew, onEdit, onTest, onActivate, onDelete }: ProfilesViewProps) {
  return (
    <div data-testid="profiles" data-mode={state.mode}>
      {state.firstRun && state.canEdit ? <FirstRunWizard onNew={onNew} /> : null}
      <div className="panel">
        <div className="panel-title">Connection profiles</div>
        {session?.profileError ? (
          <Notice tone="error" testId="profile-error">
            <MessageText text={session.profileError} />
          </Notice>
        ) : null}
        {session?.replica.state === 'down' && session.replica.message ? <Notice tone="info" testId="replica-notice">{session.replica.message}</Notice> : null}
        <p className="muted small" data-testid="credential-protection" data-protection={state.storage.protection}>
          {protectionText[state.storage.protection]} {state.storage.note ?? ''}
        </p>
        {state.profiles.length === 0 ? <p className="muted">No profiles yet.</p> : null}
        <ul className="profile-list">
          {state.profiles.map((p) => (
            <li key={p.id} className="profile" data-testid={`profile-${p.id}`} data-active={String(p.active)} data-kind={p.kind} data-role={p.role}>
              <div className="profile-head">
                <span className="strong">{p.name}</span>
                <span className="muted small">
                  {' '}
                  · {kindLabel[p.kind]} · {p.role}
                  {p.active ? (
                    <>
                      {' '}
                      · <span aria-hidden="true">●</span> active
                    </>
                  ) : null}
                </span>
              </div>
              {p.kind === 'local' ? (
                <div className="muted small">The embedded stack on this computer.</div>
              ) : (
                <dl className="profile-services">
                  {SERVICES.filter((k) => p.services[k].url).map((k) => (
                    <div key={k} data-testid={`profile-${p.id}-${k}`}>
                      <dt>{serviceLabel(k)}</dt>
                      <dd>
                        <span className="mono">{p.services[k].url}</span>
                        <span className="muted small">{p.services[k].hasSecret ? ` · secret set ${p.services[k].secretHint ?? ''}` : ' · no secret'}</span>
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
              {tests[p.id] ? <ServiceChecks result={tests[p.id]!} /> : null}
              <div className="inline-row">
                <button type="button" className="button small" onClick={() => onTest(p)} disabled={busyId === p.id} data-testid={`test-${p.id}`}>
                  Test connection
                </button>
                {state.canEdit && !p.active ? (
                  <button type="button" className="button small primary" onClick={() => onActivate(p)} disabled={busyId === p.id} data-testid={`activate-${p.id}`}>
                    Switch to it
                  </button>
                ) : null}
                {state.canEdit && p.editable ? (
                  <button type="button" className="button small" onClick={() => onEdit(p)} data-testid={`edit-${p.id}`}>
                    Edit
                  </button>
                ) : null}
                {state.canEdit && p.editable && !p.active ? (
                  <button type="button" className="button small ghost" onClick={() => onDelete(p)} disabled={busyId === p.id} data-testid={`delete-${p.id}`}>
                    Delete
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
        {state.canEdit ? (
          <div className="inline-row">
            <button type="button" className="button" onClick={() => onNew('remote')} data-testid="new-remote-profile">
              New platform profile
            </button>
            <button type="button" className="button" onClick={() => onNew('local')} data-testid="new-local-profile">
              New local-stack profile
            </button>
          </div>
        ) : state.storage.note ? null : (
          <p className="muted small">Profiles of `sluice serve` come from its environment or its --profile file: change them on the server.</p>
        )}
      </div>
    </div>
  );
}

/** Loads the profiles and the session, and refreshes both when the engine says the session changed. */
export function ProfilesPanel() {
  const client = useClient();
  const [state, setState] = useState<ProfilesState | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<ProfileTarget | null>(null);
  const [tests, setTests] = useState<Record<string, MethodOutput<'profiles.test'>>>({});
  const [busyId, setBusyId] = useState<string | null>(null);

  // Bumped to load again: after a change here, and when the engine says the session changed.
  const [reloads, setReloads] = useState(0);
  const reload = (): void => setReloads((n) => n + 1);

  useEffect(() => {
    let live = true;
    Promise.all([client.call('profiles.list', {}), client.call('session.info', {})]).then(
      ([profiles, info]) => {
        if (!live) return;
        setState(profiles);
        setSession(info);
        setError(null);
      },
      (e: unknown) => {
        if (live) setError(describeError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [client, reloads]);

  useEffect(() => client.subscribe('session.changed', () => setReloads((n) => n + 1)), [client]);

  const run = async (p: ProfileView, action: () => Promise<void>) => {
    setBusyId(p.id);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusyId(null);
    }
  };

  if (editing) {
    return (
      <ProfileForm
        target={editing}
        onCancel={() => setEditing(null)}
        onDone={(saved) => {
          setEditing(null);
          setNotice(`Profile "${saved.name}" saved.${saved.active ? ' The engine restarts with it.' : ''}`);
          reload();
          // The first profile of a fresh install is the one to use.
          if (state?.firstRun) {
            client.call('profiles.activate', { id: saved.id }).then(
              (answer) => setNotice(answer.message),
              (e: unknown) => setError(describeError(e)),
            );
          }
        }}
      />
    );
  }

  return (
    <>
      {error ? (
        <Notice tone="error" testId="profiles-error">
          <MessageText text={error} />
        </Notice>
      ) : null}
      {notice ? <Notice tone="info" testId="profiles-notice">{notice}</Notice> : null}
      {state ? (
        <ProfilesView
          state={state}
          session={session}
          tests={tests}
          busyId={busyId}
          onNew={(kind) => setEditing({ mode: 'create', kind })}
          onEdit={(profile) => setEditing({ mode: 'edit', profile })}
          onTest={(p) =>
            void run(p, async () => {
              const result = await client.call('profiles.test', { id: p.id });
              setTests((t) => ({ ...t, [p.id]: result }));
            })
          }
          onActivate={(p) =>
            void run(p, async () => {
              setNotice((await client.call('profiles.activate', { id: p.id })).message);
            })
          }
          onDelete={(p) =>
            void run(p, async () => {
              await client.call('profiles.delete', { id: p.id });
              setNotice(`Profile "${p.name}" and its stored credentials were deleted.`);
              reload();
            })
          }
        />
      ) : error ? null : (
        <p className="muted">Loading connection profiles…</p>
      )}
    </>
  );
}
