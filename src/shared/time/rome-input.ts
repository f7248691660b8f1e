/**
 * What an operator types into `<input type="datetime-local">`
 * (`2026-02-07T14:00`) is Rome's wall clock, whatever zone the computer is set
 * to. Two nights a year the wall clock is not a clock: in spring 02:00–02:59
 * does not exist, in autumn 02:00–02:59 happens twice. Those are answered
 * explicitly here, never guessed in silence.
 */
import { Temporal } from 'temporal-polyfill'
import { ROME_TIME_ZONE } from './rome'

/** Which of the two autumn 02:xx is meant: `earlier` is summer time (+02:00), `later` winter time (+01:00). */
export type RepeatedHour = 'earlier' | 'later'

export type RomeInput =
  | {
      ok: true
      /** The instant, in UTC: `2026-02-07T13:00:00.000Z`. */
      iso: string
      /** Rome's offset at that instant. */
      offset: string
      /** Set when the time happens twice: which was taken, the offsets of the first and the second. */
      repeated?: {
        chosen: RepeatedHour
        earlier: string
        later: string
        params: { time: string; date: string }
      }
    }
  | { ok: false; code: 'invalid'; params?: undefined }
  | {
      ok: false
      /** The time does not exist in Rome (the spring change to summer time). */
      code: 'time_gap'
      /** `time` as typed (`02:30`), `date` in Italian order (`29/03/2026`). */
      params: { time: string; date: string }
    }

const LOCAL_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/

/**
 * Reads a wall time as Rome's. In the repeated autumn hour the first (summer
 * time) is taken unless `repeated: 'later'` is asked: the alert then starts no
 * later than the operator could have meant, and the composer says which one it
 * took and offers the other.
 */
export function parseRomeInput(
  value: string,
  options: { repeated?: RepeatedHour } = {},
): RomeInput {
  const text = value.trim()
  if (!LOCAL_INPUT.test(text)) return { ok: false, code: 'invalid' }
  let wall: Temporal.PlainDateTime
  try {
    wall = Temporal.PlainDateTime.from(text, { overflow: 'reject' })
  } catch {
    return { ok: false, code: 'invalid' }
  }
  const p = (n: number) => String(n).padStart(2, '0')
  const params = {
    time: `${p(wall.hour)}:${p(wall.minute)}`,
    date: `${p(wall.day)}/${p(wall.month)}/${wall.year}`,
  }
  const earlier = wall.toZonedDateTime(ROME_TIME_ZONE, { disambiguation: 'earlier' })
  // In the gap Temporal moves the wall time; a moved time is one that does not exist.
  if (!earlier.toPlainDateTime().equals(wall)) return { ok: false, code: 'time_gap', params }
  const later = wall.toZonedDateTime(ROME_TIME_ZONE, { disambiguation: 'later' })
  if (earlier.epochMilliseconds === later.epochMilliseconds) {
    return {
      ok: true,
      iso: new Date(earlier.epochMilliseconds).toISOString(),
      offset: earlier.offset,
    }
  }
  const chosen = options.repeated ?? 'earlier'
  const at = chosen === 'earlier' ? earlier : later
  return {
    ok: true,
    iso: new Date(at.epochMilliseconds).toISOString(),
    offset: at.offset,
    repeated: { chosen, earlier: earlier.offset, later: later.offset, params },
  }
}
