/**
 * English wording for the values that go into the English templates (the
 * `_en` variants): times of validity in Italian time (Europe/Rome, whatever the
 * computer's zone), in British order, and lists of comuni joined with "and".
 * Comune names stay Italian.
 *
 * Day and month names are written here, not taken from Intl, so the text is the
 * same on every ICU build; the time module only converts the instant to Rome's
 * wall clock.
 */
import { parseInstant, romeWallClock, sameRomeDay, type RomeWallClock } from '../time'

/** Monday first, as `RomeWallClock.dayOfWeek` counts (1 = Monday). */
export const ENGLISH_WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const
export const ENGLISH_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

const pad = (n: number): string => String(n).padStart(2, '0')

function dayWords(c: RomeWallClock): string {
  return `${ENGLISH_WEEKDAYS[c.dayOfWeek - 1] ?? ''} ${c.day} ${ENGLISH_MONTHS[c.month - 1] ?? ''}`
}

/** `2 pm`, `8:30 am`, `midnight`, `noon`: the twelve-hour clock British notices use. */
function clockWords(c: RomeWallClock): string {
  if (c.minute === 0 && c.hour === 0) return 'midnight'
  if (c.minute === 0 && c.hour === 12) return 'noon'
  const hour12 = c.hour % 12 === 0 ? 12 : c.hour % 12
  const suffix = c.hour < 12 ? 'am' : 'pm'
  return c.minute === 0 ? `${hour12} ${suffix}` : `${hour12}:${pad(c.minute)} ${suffix}`
}

/**
 * A day in English, in Rome's calendar: `Saturday 7 February`.
 * @throws RangeError when `iso` is not a date-time with an offset.
 */
export function formatEnglishDate(iso: string): string {
  return dayWords(romeWallClock(iso))
}

/**
 * A time and day in English, in Rome's time: `2 pm on Saturday 7 February`.
 * @throws RangeError when `iso` is not a date-time with an offset.
 */
export function formatEnglishDateTime(iso: string): string {
  const c = romeWallClock(iso)
  return `${clockWords(c)} on ${dayWords(c)}`
}

/**
 * English values for `{{dalle}}` and `{{alle}}` ("from {{dalle}} to {{alle}}").
 * When both fall on the same day in Rome, `alle` is only the time:
 * "from 2 pm on Saturday 7 February to 11:59 pm".
 * @throws RangeError when a date is malformed or the window ends before it starts.
 */
export function formatEnglishAlertWindow(
  fromIso: string,
  toIso: string,
): { dalle: string; alle: string } {
  if (parseInstant(toIso) < parseInstant(fromIso)) {
    throw new RangeError('The alert window ends before it starts')
  }
  return {
    dalle: formatEnglishDateTime(fromIso),
    alle: sameRomeDay(fromIso, toIso)
      ? clockWords(romeWallClock(toIso))
      : formatEnglishDateTime(toIso),
  }
}

/**
 * Joins comune names the English way, names kept in Italian: "Empoli",
 * "Empoli and Vinci", "Empoli, Vinci and Certaldo". Blank entries and repeats
 * (case aside) are dropped; the order given is kept.
 */
export function joinComuniEnglish(names: readonly string[]): string {
  const seen = new Set<string>()
  const list: string[] = []
  for (const raw of names) {
    const name = raw.trim().replace(/\s+/g, ' ')
    const key = name.toLocaleLowerCase('it')
    if (name === '' || seen.has(key)) continue
    seen.add(key)
    list.push(name)
  }
  if (list.length <= 1) return list[0] ?? ''
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`
}
