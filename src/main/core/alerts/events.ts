import type { RowChange } from '../outbox/types'
import type { AlertChange } from './types'

/**
 * What sending tells the UI. The core's EventBus is typed by the shared
 * contract, which this area does not own: the composition root adapts these
 * two callbacks to contract events (e.g. `outbox:rows` and `alerts:changed`).
 */
export interface SendingEvents {
  /** Outbox rows that changed state, already batched (one call per write). */
  rowsChanged(changes: RowChange[]): void
  /** An alert changed status, or many of its rows changed at once (reload its progress). */
  alertChanged(change: AlertChange): void
}

/**
 * Calls a listener without letting a broken subscriber break sending: the UI
 * missing an event must never fail a send or a confirmation. The error is
 * reported (`onError`, by default the process log), never swallowed.
 */
export function safeEmit<A>(
  listener: ((arg: A) => void) | undefined,
  arg: A,
  onError: (err: unknown) => void = (err) => console.error('event listener failed:', err),
): void {
  if (!listener) return
  try {
    listener(arg)
  } catch (err) {
    try {
      onError(err)
    } catch {
      // The reporter itself failed: nothing is left to tell, and sending must go on.
    }
  }
}
