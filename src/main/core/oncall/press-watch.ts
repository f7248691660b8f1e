/**
 * Reads the room's bot often while a page is open, and not at all otherwise. `poke` on
 * every escalation change; `stop` with the core. One read at a time: a slow provider
 * never piles reads up.
 */
export interface PressWatchDeps {
  /** Whether a page still waits for someone to take it. */
  open(): boolean
  /** One read of the bot's updates (the presses come with them). */
  read(): Promise<void>
  onError(err: unknown): void
  /** Time between reads while a page is open (default 5 s). */
  everyMs?: number
}

export function createPressWatch(deps: PressWatchDeps) {
  const everyMs = deps.everyMs ?? 5_000
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  const schedule = () => {
    if (stopped || timer || !deps.open()) return
    timer = setTimeout(() => {
      void deps
        .read()
        .catch(deps.onError)
        .finally(() => {
          timer = undefined
          schedule()
        })
    }, everyMs)
    timer.unref?.()
  }

  return {
    poke: schedule,
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
