import type { EventName } from '../../shared/contract'

export interface BatchedEvent {
  name: EventName
  payload: unknown
}

/**
 * Collects core events and hands them over in batches, so a burst of hundreds
 * of delivery updates costs the UI one message per interval, not hundreds.
 */
export function createEventBatcher(flush: (batch: BatchedEvent[]) => void, intervalMs = 50) {
  let pending: BatchedEvent[] = []
  let timer: NodeJS.Timeout | undefined
  const run = () => {
    timer = undefined
    const batch = pending
    pending = []
    if (batch.length) flush(batch)
  }
  return {
    push(name: EventName, payload: unknown) {
      pending.push({ name, payload })
      timer ??= setTimeout(run, intervalMs)
    },
    /** Sends what is pending now (on shutdown). */
    flushNow() {
      if (timer) clearTimeout(timer)
      run()
    },
    stop() {
      if (timer) clearTimeout(timer)
      timer = undefined
      pending = []
    },
  }
}
