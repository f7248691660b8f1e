/**
 * Italian wording for the values that go into templates: times of validity in
 * Italian time (Europe/Rome, whatever the computer's zone) and lists of comuni.
 *
 * Day and month names are written here, not taken from Intl, so the text is the
 * same on every ICU build; Intl only converts the instant to Rome's wall clock.
 */

const TIME_ZONE = 'Europe/Rome'
const WEEKDAYS = ['domenica', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato']
const MONTHS = [
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
]

/** An instant with its offset: `2026-02-07T14:00:00+01:00` or `…Z`. A bare local time is ambiguous. */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i

const romeParts = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

interface RomeWallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

/** Date rolls 30 February over to March; a bulletin with that date is a typo, not a date. */
function fieldsInRange(m: RegExpExecArray): boolean {
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offH = 0, offM = 0] = m
    .slice(1)
    .map((field) => Number(field ?? 0))
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offH <= 14 &&
    offM <= 59
  )
}

function parseInstant(iso: string): Date {
  const m = ISO_INSTANT.exec(iso)
  const date = new Date(iso)
  if (!m || !fieldsInRange(m) || Number.isNaN(date.getTime())) {
    throw new RangeError(`Not an ISO 8601 date-time with offset: ${JSON.stringify(iso)}`)
  }
  return date
}

function inRome(date: Date): RomeWallClock {
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(romeParts.formatToParts(date).find((p) => p.type === type)?.value)
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
  }
}

const pad = (n: number): string => String(n).padStart(2, '0')

function dayWords(c: RomeWallClock): string {
  const weekday = WEEKDAYS[new Date(Date.UTC(c.year, c.month - 1, c.day)).getUTCDay()] ?? ''
  return `${weekday} ${c.day} ${MONTHS[c.month - 1] ?? ''}`
}

/**
 * A day in Italian, in Rome's calendar: `sabato 7 febbraio`.
 * @throws RangeError when `iso` is not a date-time with an offset.
 */
export function formatItalianDate(iso: string): string {
  return dayWords(inRome(parseInstant(iso)))
}

/**
 * A time and day in Italian, in Rome's time: `14:00 di sabato 7 febbraio`.
 * @throws RangeError when `iso` is not a date-time with an offset.
 */
export function formatItalianDateTime(iso: string): string {
  const c = inRome(parseInstant(iso))
  return `${pad(c.hour)}:${pad(c.minute)} di ${dayWords(c)}`
}

/**
 * Values for `{{dalle}}` and `{{alle}}`. When both fall on the same day in Rome,
 * `alle` is only the time: "dalle 14:00 di sabato 7 febbraio alle 23:59".
 * @throws RangeError when a date is malformed or the window ends before it starts.
 */
export function formatAlertWindow(fromIso: string, toIso: string): { dalle: string; alle: string } {
  const from = parseInstant(fromIso)
  const to = parseInstant(toIso)
  if (to.getTime() < from.getTime()) throw new RangeError('The alert window ends before it starts')
  const a = inRome(from)
  const b = inRome(to)
  const sameDay = a.year === b.year && a.month === b.month && a.day === b.day
  return {
    dalle: formatItalianDateTime(fromIso),
    alle: sameDay ? `${pad(b.hour)}:${pad(b.minute)}` : formatItalianDateTime(toIso),
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
