import { Notification } from 'electron';
import type pino from 'pino';

import type { EventPayload } from '../../shared/contract/api';
import type { EngineApi } from '../engine/types';
import type { WindowRegistry } from './window';

/**
 * Native desktop notifications for runs that need the operator (failed, or finished partial). The
 * shell listens to the engine's typed `notifications.run` event — the same one the console turns
 * into a toast — so there is no extra channel. Clicking a notification brings the window forward;
 * the toast in the console links to the run.
 */
export const setupRunNotifications = ({ engine, windows, logger }: { engine: Pick<EngineApi, 'subscribe'>; windows: WindowRegistry; logger: pino.Logger }): (() => void) =>
  engine.subscribe((event, payload) => {
    if (event !== 'notifications.run') return;
    if (!Notification.isSupported()) return;
    // The listener is generic over every event; this one is checked against the contract by the hub.
    const p = payload as EventPayload<'notifications.run'>;
    try {
      const note = new Notification({
        title: `${p.state === 'failed' ? 'Run failed' : 'Run finished partial'}: ${p.title}`,
        body: `${p.message} (tenant ${p.tenantName})`,
        urgency: p.state === 'failed' ? 'critical' : 'normal',
      });
      note.on('click', () => {
        const first = windows.first();
        if (first) {
          if (first.isMinimized()) first.restore();
          first.focus();
        }
      });
      note.show();
    } catch (error) {
      logger.warn({ err: error, runId: p.runId }, 'could not show a desktop notification');
    }
  });
