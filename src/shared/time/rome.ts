/**
 * Italian time, explicitly: every instant Vedetta writes for people (templates,
 * CAP, reports, the gateway's dates) is on Rome's wall clock, whatever zone the
 * computer is set to. Conversions go through the Temporal polyfill, which knows
 * the zone's rules; nothing here does offset arithmetic by hand.
 */
import { Temporal } from 'temporal-polyfill'

export const ROME_TIME_ZONE = 'Europe/Rome'

/** An instant: ISO 8601 with an offset (`…+01:00` or `…Z`), epoch milliseconds, or a Date. */
export type InstantLike = string | number | Date

/** Rome's wall clock at an instant. */
export interface RomeWallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** 1 = Monday … 7 = Sunday (ISO). */
  dayOfWeek: number
  /** `+01:00` in winter, `+02:00` in summer. */
  offset: string
}

/**
 * The shape of an instant with its offset. Temporal alone would also take a
 * space for `T` and a leap second; a bulletin with those is a typo, not a date.
 */
const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i

function toInstant(value: InstantLike): Temporal.Instant {
  if (typeof value === 'string') {
    if (!ISO_INSTANT.test(value.trim())) {
      throw new RangeError(`Not an ISO 8601 date-time with offset: ${JSON.stringify(value)}`)
    }
    // Temporal refuses 30 February and hour 24 with a RangeError of its own.
    return Temporal.Instant.from(value.trim())
  }
  const ms = value instanceof Date ? value.getTime() : value
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${String(value)}`)
  return Temporal.Instant.fromEpochMilliseconds(Math.trunc(ms))
}

const inRome = (value: InstantLike): Temporal.ZonedDateTime =>
  toInstant(value).toZonedDateTimeISO(ROME_TIME_ZONE)

/**
 * Epoch milliseconds of an ISO instant; a bare local time is refused as ambiguous.
 * @throws RangeError when `iso` is not a date-time with an offset.
 */
export function parseInstant(iso: string): number {
  return toInstant(iso).epochMilliseconds
}

/** Whether `iso` is a well-formed instant with its offset. */
export function isInstant(iso: string): boolean {
  try {
    toInstant(iso)
    return true
  } catch {
    return false
  }
}

/**
 * Rome's wall clock at an instant.
 * @throws RangeError when the value is not an instant.
 */
export function romeWallClock(value: InstantLike): RomeWallClock {
  const z = inRome(value)
  return {
    year: z.year,
    month: z.month,
    day: z.day,
    hour: z.hour,
    minute: z.minute,
    second: z.second,
    dayOfWeek: z.dayOfWeek,
    offset: z.offset,
  }
}

/** Whether two instants fall on the same calendar day in Rome. */
export function sameRomeDay(a: InstantLike, b: InstantLike): boolean {
  return inRome(a).toPlainDate().equals(inRome(b).toPlainDate())
}

/**
 * `2026-02-07T14:00:00+01:00`: Rome's wall clock to the second, with its offset
 * (the CAP 1.2 form: no fractions, never `Z`).
 * @throws RangeError when the value is not an instant.
 */
export function toRomeIso(value: InstantLike): string {
  return inRome(value).toString({ smallestUnit: 'second', timeZoneName: 'never' })
}

/** `2026-02-07T14:00`, the value of an `<input type="datetime-local">` on Rome's clock; '' when not an instant. */
export function toRomeInputValue(value: InstantLike | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  try {
    return inRome(value).toPlainDateTime().toString({ smallestUnit: 'minute' })
  } catch {
    return ''
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** `20260207140000`: Rome's wall clock as Italian SMS gateways write dates. */
export function toRomeCompact(value: InstantLike): string {
  const c = romeWallClock(value)
  return `${pad(c.year, 4)}${pad(c.month)}${pad(c.day)}${pad(c.hour)}${pad(c.minute)}${pad(c.second)}`
}

/**
 * Epoch milliseconds of a gateway date `yyyyMMddHHmmss` on Rome's clock, or
 * undefined when it is not one. A machine wrote it, so there is nobody to ask:
 * in the autumn hour that happens twice the first (summer time) is taken, and a
 * time inside the spring gap is moved forward by the gap (Temporal's
 * "compatible", the behaviour of the old Date API).
 */
export function fromRomeCompact(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value)
  if (!m) return undefined
  try {
    const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as number[]
    return Temporal.PlainDateTime.from(
      { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! },
      { overflow: 'reject' },
    ).toZonedDateTime(ROME_TIME_ZONE, { disambiguation: 'compatible' }).epochMilliseconds
  } catch {
    return undefined
  }
}

const shortFormats = {
  it: new Intl.DateTimeFormat('it-IT', {
    timeZone: ROME_TIME_ZONE,
    dateStyle: 'short',
    timeStyle: 'short',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: ROME_TIME_ZONE,
    dateStyle: 'short',
    timeStyle: 'short',
  }),
}

/** `07/02/26, 14:00` on Rome's clock, for reports and lists; undefined when not an instant. */
export function formatRomeShort(
  value: InstantLike,
  locale: 'it' | 'en' = 'it',
): string | undefined {
  try {
    return shortFormats[locale].format(toInstant(value).epochMilliseconds)
  } catch {
    return undefined
  }
}
