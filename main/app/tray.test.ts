import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { EventPayload } from '../../shared/contract/api';
import { FakeEngine } from '../ipc/gate-fixture';
import { app, resetFakeElectron, Tray } from '../testing/fake-electron';
import { setupTray, trayLabel } from './tray';

vi.mock('electron', () => import('../testing/fake-electron'));

beforeEach(() => resetFakeElectron());

const progress = (runId: number, state: EventPayload<'runs.progress'>['state']): EventPayload<'runs.progress'> => ({
  runId,
  tenantId: 1,
  jobId: null,
  integrationId: 7,
  state,
  steps: [],
  totals: { units: 10, extracted: 10, transformed: 9, loaded: 9, failed: 0, skipped: 0, pending: 0 },
  rateLimit: { limitedUntil: null, tokens: null, capacity: null },
  at: '2026-03-01T10:00:00.000Z',
});

const setup = (platform: NodeJS.Platform = 'linux') => {
  const engine = new FakeEngine();
  const showWindow = vi.fn();
  const handle = setupTray({ engine, iconPath: '/opt/sluice/resources/tray.png', showWindow, platform });
  return { engine, showWindow, handle, tray: Tray.instances[0]! };
};

describe('tray', () => {
  it('counts running runs in the tooltip, the menu and the badge', () => {
    const { engine, tray } = setup();
    expect(tray.tooltip).toBe('Sluice');
    expect(tray.menu?.items[0]).toMatchObject({ label: 'No runs running', enabled: false });
    engine.emit('runs.progress', progress(1, 'running'));
    engine.emit('runs.progress', progress(1, 'running'));
    engine.emit('runs.progress', progress(2, 'rate_limited'));
    expect(tray.tooltip).toBe('Sluice — 2 runs running');
    expect(tray.menu?.items[0]?.label).toBe('2 runs running');
    expect(app.badgeCount).toBe(2);
    engine.emit('runs.progress', progress(2, 'succeeded'));
    engine.emit('runs.progress', progress(1, 'paused'));
    expect(tray.tooltip).toBe('Sluice');
    expect(app.badgeCount).toBe(0);
    expect(trayLabel(1)).toBe('1 run running');
  });

  it('opens the console from the tray and its menu, quits from the menu, and stops cleanly', () => {
    const { engine, tray, showWindow, handle } = setup('win32');
    tray.emit('click');
    tray.menu?.items.find((i) => i.label === 'Open Sluice')?.click?.();
    expect(showWindow).toHaveBeenCalledTimes(2);
    engine.emit('runs.progress', progress(1, 'running'));
    // No badge API on Windows.
    expect(app.badgeCount).toBe(0);
    tray.menu?.items.find((i) => i.label === 'Quit Sluice')?.click?.();
    expect(app.quitCalls).toBe(1);
    handle.stop();
    expect(tray.destroyed).toBe(true);
    expect(engine.subscriberCount).toBe(0);
  });
});
