/**
 * The two time notations of a scenario file.
 *
 * - A moment on the timeline is `T+H:MM` or `T+H:MM:SS`, counted from the start of
 *   the drill: `T+0:05` is five minutes in, `T+12:30` twelve and a half hours in.
 * - A length of time is a number with a unit, largest unit first: `45s`, `15m`,
 *   `2h`, `1h30m`.
 *
 * Inside the code both are milliseconds.
 */

const SCENARIO_TIME_RE = /^T\+(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$/
const DURATION_RE = /^(?:(\d{1,4})h)?(?:(\d{1,5})m)?(?:(\d{1,6})s)?$/

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/** Milliseconds from the start of the drill, or `null` when the text is not `T+H:MM[:SS]`. */
export function parseScenarioTime(text: string): number | null {
  const m = SCENARIO_TIME_RE.exec(text.trim())
  if (!m) return null
  return Number(m[1]) * HOUR + Number(m[2]) * MINUTE + Number(m[3] ?? 0) * SECOND
}

/** Writes milliseconds from the start as `T+H:MM` (seconds only when there are some). */
export function formatScenarioTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / SECOND))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const base = `T+${h}:${String(m).padStart(2, '0')}`
  return s === 0 ? base : `${base}:${String(s).padStart(2, '0')}`
}

/** Milliseconds of a length like `1h30m`, or `null` when the text is not one. */
export function parseDuration(text: string): number | null {
  const t = text.trim()
  const m = DURATION_RE.exec(t)
  if (!m || t === '') return null
  return Number(m[1] ?? 0) * HOUR + Number(m[2] ?? 0) * MINUTE + Number(m[3] ?? 0) * SECOND
}

/** Writes milliseconds as `1h30m`, `15m`, `45s` (rounded down to the second). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / SECOND))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('')
  return parts || '0s'
}
