import type { EventName, EventPayload } from '../../shared/contract'

type Listener<E extends EventName> = (payload: EventPayload<E>) => void

/** The core's outbound events: transports subscribe once and forward to every window or socket. */
export class EventBus {
  private readonly listeners = new Set<(name: EventName, payload: unknown) => void>()

  /**
   * @param onListenerError told of a subscriber that threw (the composition root
   *   logs it and raises a health problem); by default the process log.
   */
  constructor(
    private readonly onListenerError: (name: EventName, err: unknown) => void = (name, err) =>
      console.error(`event ${name}: listener failed:`, err),
  ) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload)
      } catch (err) {
        // A broken subscriber must not stop the others nor the core: reported, not swallowed.
        try {
          this.onListenerError(name, err)
        } catch {
          // The reporter itself failed: the other subscribers still get the event.
        }
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
