/**
 * The validity of an alert in words, on Rome's clock: "dalle 14 di mercoledì 3
 * alle 8 di giovedì 4 dicembre".
 */
import { romeWallClock, type InstantLike } from '../../../shared/time'
import {
  ITALIAN_MONTHS as MONTHS,
  ITALIAN_WEEKDAYS as WEEKDAYS,
} from '../../../shared/templates/format-it'

/** "dalle 14", "dall'1", "dalla mezzanotte", "alle 8:30". */
function at(preposition: 'da' | 'a', hour: number, minute: number): string {
  if (hour === 0 && minute === 0)
    return preposition === 'da' ? 'dalla mezzanotte' : 'alla mezzanotte'
  const time = minute === 0 ? String(hour) : `${hour}:${String(minute).padStart(2, '0')}`
  if (hour === 1) return `${preposition === 'da' ? "dall'" : "all'"}${time}`
  return `${preposition === 'da' ? 'dalle' : 'alle'} ${time}`
}

/**
 * The words for a validity; the month is said once when both ends share it.
 * Empty when neither end is given.
 */
export function validityWords(
  from: InstantLike | null | undefined,
  to: InstantLike | null | undefined,
): string {
  const a = from == null ? null : romeWallClock(from)
  const b = to == null ? null : romeWallClock(to)
  const day = (c: ReturnType<typeof romeWallClock>, withMonth: boolean) =>
    `${WEEKDAYS[c.dayOfWeek - 1]} ${c.day}${withMonth ? ` ${MONTHS[c.month - 1]}` : ''}`
  if (a && b) {
    const sameMonth = a.year === b.year && a.month === b.month
    return `${at('da', a.hour, a.minute)} di ${day(a, !sameMonth)} ${at('a', b.hour, b.minute)} di ${day(b, true)}`
  }
  if (a) return `${at('da', a.hour, a.minute)} di ${day(a, true)}`
  if (b) return `fino ${at('a', b.hour, b.minute)} di ${day(b, true)}`
  return ''
}
