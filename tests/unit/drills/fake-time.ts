import type { DrillTime } from '../../../src/main/core/drills/drill-time'

/** Wall time that moves only when the test says so; due timers run in order as it moves. */
export interface FakeTime extends DrillTime {
  advance(ms: number): void
  readonly timers: number
}

export function createFakeTime(start = Date.UTC(2026, 0, 13, 12, 0, 0)): FakeTime {
  let now = start
  let nextId = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++
      timers.set(id, { at: now + Math.max(0, ms), fn })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    advance(ms) {
      const target = now + ms
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined
        for (const entry of timers)
          if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].fn()
      }
      now = target
    },
    get timers() {
      return timers.size
    },
  }
}
