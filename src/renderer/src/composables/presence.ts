import { onBeforeUnmount, onMounted } from 'vue'
import { api } from '../api'

/** At most one report a minute: presence is counted in minutes, not keystrokes. */
export const PRESENCE_EVERY_MS = 60_000

const INPUT_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const

/**
 * Tells the core someone is using the room when they type, click, scroll or tap: a
 * citizen's cry for help then waits for them instead of paging the person on call. Only
 * input counts — a page left open on a wall screen is not someone reading. A report that
 * fails is dropped: the next input tries again, and a missed one errs towards paging.
 */
export function usePresence(now: () => number = Date.now): void {
  let last = -Infinity
  const onInput = () => {
    const t = now()
    if (t - last < PRESENCE_EVERY_MS) return
    last = t
    api['oncall:present']({}).catch(() => {
      last = -Infinity
    })
  }
  onMounted(() => {
    for (const e of INPUT_EVENTS) window.addEventListener(e, onInput, { passive: true })
  })
  onBeforeUnmount(() => {
    for (const e of INPUT_EVENTS) window.removeEventListener(e, onInput)
  })
}
