import { describe, expect, it } from 'vitest';

import type { ProfilesState, ProfileView } from '../../../../shared/contract/profiles';
import type { SessionInfo } from '../../../../shared/contract/session';
import { createClient } from '../../api/client';
import { createAppStore } from '../../store';
import { memoryStorage } from '../../testing/fake-transport';
import { renderStatic } from '../../testing/render-static';

import { ProfileForm } from './ProfileForm';
import { ProfilesView, type ProfilesViewProps } from './ProfilesPanel';

const render = (element: React.ReactNode): string => {
  const client = createClient();
  return renderStatic(createAppStore({ client, storage: memoryStorage() }), client, element);
};

const none = { url: null, hasSecret: false, secretHint: null };
const production: ProfileView = {
  id: 'production',
  name: 'Production',
  kind: 'remote',
  role: 'viewer',
  active: true,
  editable: true,
  services: { postgres: { url: 'postgres://ro@db.prod:5432/sluice', hasSecret: true, secretHint: '…9Zq1' }, postgresReplica: none, rabbitmq: { url: 'amqps://ro@mq.prod:5671', hasSecret: true, secretHint: '…' }, rabbitmqManagement: none, redis: none, qdrant: none },
  secretKey: { configured: true, keyId: '0a1b2c3d' },
  updatedAt: '2026-03-01T10:00:00.000Z',
};
const local: ProfileView = { ...production, id: 'local', name: 'Local', kind: 'local', role: 'admin', active: false, services: { postgres: none, postgresReplica: none, rabbitmq: none, rabbitmqManagement: none, redis: none, qdrant: none }, secretKey: { configured: false, keyId: null } };
const state = (over: Partial<ProfilesState> = {}): ProfilesState => ({ profiles: [production, local], activeId: 'production', mode: 'desktop', canEdit: true, firstRun: false, storage: { protection: 'os', note: null }, ...over });
const session: SessionInfo = { principal: 'desktop (Production)', role: 'viewer', mode: 'desktop', profile: { id: 'production', name: 'Production', kind: 'remote' }, profileError: null, firstRun: false, replica: { state: 'none', target: null, message: null } };
const noop = () => undefined;
const props = (over: Partial<ProfilesViewProps> = {}): ProfilesViewProps => ({ state: state(), session, tests: {}, busyId: null, onNew: noop, onEdit: noop, onTest: noop, onActivate: noop, onDelete: noop, ...over });

describe('connection profiles', () => {
  it('lists profiles with where they point, their role and which secrets are set, by hint only', () => {
    const html = render(<ProfilesView {...props()} />);
    expect(html).toMatch(/data-testid="profile-production" data-active="true" data-kind="remote" data-role="viewer"/);
    expect(html).toContain('postgres://ro@db.prod:5432/sluice');
    expect(html).toContain('secret set …9Zq1');
    expect(html).toContain('The embedded stack on this computer.');
    // The active one can be neither switched to nor deleted; the other can.
    expect(html).not.toContain('data-testid="activate-production"');
    expect(html).not.toContain('data-testid="delete-production"');
    expect(html).toContain('data-testid="activate-local"');
    expect(html).toContain('data-protection="os"');
    expect(html).not.toContain('first-run-wizard');
  });

  it('offers the local stack or a platform on first run', () => {
    const html = render(<ProfilesView {...props({ state: state({ profiles: [], activeId: null, firstRun: true }) })} />);
    expect(html).toContain('data-testid="first-run-wizard"');
    expect(html).toContain('data-testid="first-run-local"');
    expect(html).toContain('data-testid="first-run-remote"');
  });

  it('is read-only on sluice serve, and says why the engine could not start or the replica is down', () => {
    const html = render(
      <ProfilesView
        {...props({
          state: state({ mode: 'headless', canEdit: false, profiles: [{ ...production, editable: false, kind: 'environment' }] }),
          session: { ...session, profileError: 'The engine could not start with this profile: refused. Fix the profile or switch to another one.', replica: { state: 'down', target: 'postgres://r@replica/x', message: 'The read replica at postgres://r@replica/x cannot be reached (refused): read-only screens use the primary until it is back.' } },
        })}
      />,
    );
    expect(html).not.toContain('data-testid="edit-production"');
    expect(html).not.toContain('new-remote-profile');
    expect(html).toContain('change them on the server');
    expect(html).not.toContain('Change it there');
    expect(html).toContain('data-testid="profile-error"');
    expect(html).toContain('read-only screens use the primary until it is back');
  });

  it('shows each service test with a glyph, a word and the precise message', () => {
    const tests = { production: { ok: false, durationMs: 40, checks: [{ service: 'postgres' as const, state: 'up' as const, version: '16.2', latencyMs: 3.2, target: 'postgres://ro@db.prod:5432/sluice', message: 'Connected (version 16.2).' }, { service: 'redis' as const, state: 'down' as const, version: null, latencyMs: null, target: 'redis://r:6379', message: 'Redis at redis://r:6379: Redis refused the password (WRONGPASS): check it.' }] } };
    const html = render(<ProfilesView {...props({ tests })} />);
    expect(html).toContain('data-testid="service-check-postgres" data-state="up"');
    expect(html).toContain('data-testid="service-check-redis" data-state="down"');
    expect(html).toContain('Redis refused the password (WRONGPASS): check it.');
    expect(html).toContain('<span class="visually-hidden"> failed</span>');
  });

  it('edits a profile with URLs shown and every secret field empty, stored ones named by their hint', () => {
    const html = render(<ProfileForm target={{ mode: 'edit', profile: production }} onDone={noop} onCancel={noop} />);
    expect(html).toContain('Edit Production');
    // The URLs are the form's default values (profile-form-model.test.ts); react-hook-form sets them on mount.
    expect(html).toContain('name="services.postgres.url"');
    expect(html).toContain('A password is stored (…9Zq1): type a new one to replace it, or leave empty to keep it.');
    expect(html).toContain('A key is stored (id 0a1b2c3d)');
    expect(html).toMatch(/type="password"/);
    // No password field carries a value.
    expect(html).not.toMatch(/type="password"[^>]*value="[^"]+"/);
    expect(html).toContain('Remove the stored password');
  });

  it('asks no URL for a local-stack profile', () => {
    const html = render(<ProfileForm target={{ mode: 'create', kind: 'local' }} onDone={noop} onCancel={noop} />);
    expect(html).toContain('New local-stack profile');
    expect(html).toContain('data-testid="local-note"');
    expect(html).not.toContain('data-testid="service-postgres"');
  });
});
