import type { EventName, EventPayload } from '../../shared/contract'

type Listener<E extends EventName> = (payload: EventPayload<E>) => void

/** The core's outbound events: transports subscribe once and forward to every window or socket. */
export class EventBus {
  private readonly listeners = new Set<(name: EventName, payload: unknown) => void>()

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload)
      } catch {
        // A broken subscriber must not stop the others nor the core.
      }
    }
  }

  /** Receives every event; returns the unsubscribe function. */
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  on<E extends EventName>(name: E, listener: Listener<E>): () => void {
    return this.subscribe((n, p) => {
      if (n === name) listener(p as EventPayload<E>)
    })
  }
}
