import { events, type EventName, type EventPayload } from '../../shared/contract/api';
import type { EventListener } from './types';

/**
 * Fan-out of push events to the transports. Payloads are validated against the contract when
 * published, so a transport never forwards a malformed event.
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  get listenerCount(): number {
    return this.listeners.size;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].payload.parse(payload) as EventPayload<E>;
    for (const listener of this.listeners) {
      try {
        listener(event, checked);
      } catch {
        // A failing transport must not stop delivery to the others; transports log their own errors.
      }
    }
  }
}
