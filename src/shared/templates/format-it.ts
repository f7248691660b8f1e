/**
 * Italian wording for the values that go into templates: times of validity in
 * Italian time (Europe/Rome, whatever the computer's zone) and lists of comuni.
 *
 * Day and month names are written here, not taken from Intl, so the text is the
 * same on every ICU build; the time module only converts the instant to Rome's
 * wall clock.
 */
import { parseInstant, romeWallClock, sameRomeDay, type RomeWallClock } from '../time'

/** Monday first, as `RomeWallClock.dayOfWeek` counts (1 = Monday). */
export const ITALIAN_WEEKDAYS = [
  'lunedì',
  'martedì',
  'mercoledì',
  'giovedì',
  'venerdì',
  'sabato',
  'domenica',
] as const
export const ITALIAN_MONTHS = [
  'gennaio',
  'febbraio',
  'marzo',
  'aprile',
  'maggio',
  'giugno',
  'luglio',
  'agosto',
  'settembre',
  'ottobre',
  'novembre',
  'dicembre',
] as const
const WEEKDAYS = ITALIAN_WEEKDAYS
const MONTHS = ITALIAN_MONTHS

const pad = (n: number): string => String(n).padStart(2, '0')

function dayWords(c: RomeWallClock): string {
  return `${WEEKDAYS[c.dayOfWeek - 1] ?? ''} ${c.day} ${MONTHS[c.month - 1] ?? ''}`
}

/**
 * A day in Italian, in Rome's calendar: `sabato 7 febbraio`.
 * @throws RangeError when `iso` is not a date-time with an offset.
 */
export function formatItalianDate(iso: string): string {
  return dayWords(romeWallClock(iso))
}

/**
 * A time and day in Italian, in Rome's time: `14:00 di sabato 7 febbraio`.
 * @throws RangeError when `iso` is not a date-time with an offset.
 */
export function formatItalianDateTime(iso: string): string {
  const c = romeWallClock(iso)
  return `${pad(c.hour)}:${pad(c.minute)} di ${dayWords(c)}`
}

/**
 * Values for `{{dalle}}` and `{{alle}}`. When both fall on the same day in Rome,
 * `alle` is only the time: "dalle 14:00 di sabato 7 febbraio alle 23:59".
 * @throws RangeError when a date is malformed or the window ends before it starts.
 */
export function formatAlertWindow(fromIso: string, toIso: string): { dalle: string; alle: string } {
  if (parseInstant(toIso) < parseInstant(fromIso)) {
    throw new RangeError('The alert window ends before it starts')
  }
  const b = romeWallClock(toIso)
  return {
    dalle: formatItalianDateTime(fromIso),
    alle: sameRomeDay(fromIso, toIso)
      ? `${pad(b.hour)}:${pad(b.minute)}`
      : formatItalianDateTime(toIso),
  }
}

export interface JoinComuniOptions {
  /**
   * When the list names every comune of the area, say so instead of listing
   * eleven names (an SMS budget matter): e.g. `{ names: COMUNI, label: 'tutti i comuni del Circondario' }`.
   */
  whenAll?: { names: readonly string[]; label: string }
}

/**
 * Joins names the Italian way: "Empoli", "Empoli e Vinci", "Empoli, Vinci e Certaldo".
 * Blank entries and repeats (case aside) are dropped; the order given is kept.
 * Returns '' for an empty list, which the strict renderer refuses to send.
 */
export function joinComuni(names: readonly string[], options: JoinComuniOptions = {}): string {
  const seen = new Set<string>()
  const list: string[] = []
  for (const raw of names) {
    const name = raw.trim().replace(/\s+/g, ' ')
    const key = name.toLocaleLowerCase('it')
    if (name === '' || seen.has(key)) continue
    seen.add(key)
    list.push(name)
  }
  const all = options.whenAll
  if (
    all &&
    all.names.length > 0 &&
    all.names.every((n) => seen.has(n.trim().toLocaleLowerCase('it')))
  ) {
    return all.label
  }
  if (list.length <= 1) return list[0] ?? ''
  return `${list.slice(0, -1).join(', ')} e ${list[list.length - 1]}`
}
