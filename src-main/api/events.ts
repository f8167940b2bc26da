// One hub for the contract's events: services emit, IPC and SSE transports subscribe.
import type { EventMessage, EventName, EventPayload } from './contract';

export type EventListener = (message: EventMessage) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const message = { name, payload } as EventMessage;
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // A broken subscriber (e.g. a closed window) must not stop delivery to the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
