import type { WebContents } from 'electron';
import type pino from 'pino';

import { IPC_EVENT_CHANNEL, type ServerSocketMessage } from '../../shared/contract/wire';
import type { WindowRegistry } from '../app/window';

type EventMessage = Extract<ServerSocketMessage, { type: 'event' }>;

/** Per window; pushes are snapshots (health, progress), so dropping the oldest loses little. */
export const MAX_QUEUED_EVENTS = 200;

interface Target {
  ready: boolean;
  queue: EventMessage[];
  dropped: number;
}

/**
 * Delivers push events to every window we created, holding them per window until its renderer
 * has said it listens (Fiddle's WEBCONTENTS_READY_FOR_IPC_SIGNAL): a message sent before the page
 * registered its listener would be silently lost.
 */
export class EventFanout {
  private readonly targets = new Map<WebContents, Target>();

  constructor(
    private readonly windows: WindowRegistry,
    private readonly logger: pino.Logger,
  ) {}

  publish(message: EventMessage): void {
    for (const { contents } of this.windows.all()) {
      if (contents.isDestroyed()) continue;
      const target = this.targetFor(contents);
      if (target.ready) {
        this.send(contents, message);
      } else {
        target.queue.push(message);
        if (target.queue.length > MAX_QUEUED_EVENTS) {
          target.queue.shift();
          target.dropped += 1;
        }
      }
    }
  }

  /** The renderer in `contents` listens now: flush what it missed, in order. */
  markReady(contents: WebContents): void {
    const target = this.targetFor(contents);
    target.ready = true;
    if (target.dropped > 0) {
      this.logger.warn({ webContentsId: contents.id, dropped: target.dropped }, 'dropped the oldest push events while the console was loading');
    }
    const queued = target.queue.splice(0);
    target.dropped = 0;
    for (const message of queued) this.send(contents, message);
  }

  private targetFor(contents: WebContents): Target {
    let target = this.targets.get(contents);
    if (!target) {
      target = { ready: false, queue: [], dropped: 0 };
      this.targets.set(contents, target);
      contents.once('destroyed', () => this.targets.delete(contents));
      // A reload or navigation replaces the page and its listener: queue again until it re-signals.
      contents.on('did-start-navigation', (details) => {
        const current = this.targets.get(contents);
        if (current && details.isMainFrame && !details.isSameDocument) current.ready = false;
      });
    }
    return target;
  }

  private send(contents: WebContents, message: EventMessage): void {
    try {
      contents.send(IPC_EVENT_CHANNEL, message);
    } catch (error) {
      // A payload that cannot be cloned must not stop delivery to the other windows.
      this.logger.error({ err: error, event: message.event }, 'could not push an event to a console window');
    }
  }
}
