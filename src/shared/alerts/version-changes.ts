import type { AlertLevel } from '../templates/alert-kinds'
import { ITALIAN_MONTHS, ITALIAN_WEEKDAYS } from '../templates/format-it'
import { romeWallClock } from '../time'
import type { AlertMsgType } from './types'

/** A value before and after: the version in force, then the draft. */
export interface FromTo<T> {
  from: T
  to: T
}

/**
 * What a follow-up changes against the version in force (the latest confirmed
 * version of the same alert): the words of "da arancione a rosso; aggiunto
 * Vinci; fino alle 8 di venerdì 4 dicembre". A field that did not change is null
 * or empty.
 */
export interface VersionChanges {
  /** The version the draft is compared with. */
  inForce: { alertId: number; msgType: AlertMsgType; confirmedAt: string | null }
  level: FromTo<AlertLevel> | null
  /** Names, in the draft's order. */
  comuniAdded: string[]
  /** Names, in the order of the version in force. */
  comuniRemoved: string[]
  /** ISO instants (UTC). */
  validFrom: FromTo<string> | null
  validTo: FromTo<string> | null
  headline: boolean
  description: boolean
  instruction: boolean
  /** True when nothing above changed (only the texts, or nothing at all). */
  none: boolean
}

/**
 * A time said the Italian way, in Rome's time, with its preposition: "alle 8",
 * "dalle 8:30", "all'1", "a mezzanotte", and the day when asked ("alle 8 di
 * venerdì 4 dicembre"). Day and month names are format-it's.
 * @throws RangeError when `iso` is not a date-time with an offset.
 */
export function italianAt(iso: string, preposition: 'a' | 'da', withDay = true): string {
  const c = romeWallClock(iso)
  const minutes = c.minute === 0 ? '' : `:${String(c.minute).padStart(2, '0')}`
  let time: string
  if (c.hour === 0 && c.minute === 0) time = `${preposition} mezzanotte`
  else if (c.hour === 1) time = `${preposition === 'a' ? 'all’' : 'dall’'}1${minutes}`
  else time = `${preposition === 'a' ? 'alle' : 'dalle'} ${c.hour}${minutes}`
  if (!withDay) return time
  const day = `${ITALIAN_WEEKDAYS[c.dayOfWeek - 1] ?? ''} ${c.day} ${ITALIAN_MONTHS[c.month - 1] ?? ''}`
  return `${time} di ${day}`
}
