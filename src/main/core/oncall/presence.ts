/**
 * When someone last used the room: the page reports typing, clicks and taps (at most once
 * a minute, `oncall:present`). Kept in memory only: after a restart nobody has been seen,
 * which errs on the side of paging. A screen left open on the wall does not count: only
 * a person's input does.
 */
export interface Presence {
  seen(): string
  /** Milliseconds since someone last used the room; Infinity when nobody has yet. */
  idleMs(): number
}

export function createPresence(now: () => Date): Presence {
  let last: number | undefined
  return {
    seen() {
      const at = now()
      last = at.getTime()
      return at.toISOString()
    },
    idleMs: () => (last === undefined ? Infinity : now().getTime() - last),
  }
}
