import { beforeEach, describe, expect, it, vi } from 'vitest';

import { EventHub } from '../engine/events';
import { silentLogger } from '../engine/logger';
import { Notification, resetFakeElectron } from '../testing/fake-electron';
import { setupRunNotifications } from './notifications';
import { createWindowRegistry } from './window';

vi.mock('electron', () => import('../testing/fake-electron'));

beforeEach(() => resetFakeElectron());

const note = { tenantId: 1, tenantName: 'Acme', runId: 12, jobId: 3, title: 'Nightly Jira', state: 'failed' as const, message: 'Run 12 of job "Nightly Jira" failed: the token was refused.', at: '2026-01-01T10:00:00Z' };

describe('setupRunNotifications', () => {
  it('shows a native notification for each run notification, and nothing for other events', () => {
    const hub = new EventHub();
    setupRunNotifications({ engine: hub, windows: createWindowRegistry(), logger: silentLogger() });
    hub.publish('jobs.changed', { tenantId: 1, jobId: 3, reason: 'updated' });
    hub.publish('notifications.run', note);
    hub.publish('notifications.run', { ...note, runId: 13, state: 'partial', message: 'Run 13 finished partial: 2 unit(s) failed.' });
    expect(Notification.shown.map((n) => n.options)).toEqual([
      { title: 'Run failed: Nightly Jira', body: `${note.message} (tenant Acme)`, urgency: 'critical' },
      { title: 'Run finished partial: Nightly Jira', body: 'Run 13 finished partial: 2 unit(s) failed. (tenant Acme)', urgency: 'normal' },
    ]);
  });

  it('stays quiet where the OS has no notifications, and stops when disposed', () => {
    const hub = new EventHub();
    const dispose = setupRunNotifications({ engine: hub, windows: createWindowRegistry(), logger: silentLogger() });
    Notification.supported = false;
    hub.publish('notifications.run', note);
    Notification.supported = true;
    dispose();
    hub.publish('notifications.run', note);
    expect(Notification.shown).toHaveLength(0);
  });
});
