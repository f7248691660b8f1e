import { Temporal } from 'temporal-polyfill'
import type {
  OnCallNow,
  OnCallStep,
  OncallException,
  OncallPerson,
  OncallShift,
} from '../../../shared/contract/oncall'
import { fromRomeCompact, romeWallClock } from '../../../shared/time'

/**
 * Who is on call at an instant, on Rome's wall clock.
 *
 * A shift is a wall-clock interval repeated weekly: it starts at `starts` on its weekday and
 * ends at `ends` that day, or the next day when `ends` is not later than `starts` (a night
 * shift; equal times are a 24-hour shift). Wall times become instants the way Rome's clock
 * runs: on the spring night a time inside the missing hour is moved on by that hour (02:30 is
 * 03:30, as Temporal's "compatible" and the old Date API read it), on the autumn night a
 * repeated time is its first (summer) occurrence. One wall time is therefore
 * always one instant, so a shift ends exactly when the next begins, and the night shift that
 * spans a change lasts 11 or 13 hours of real time. When shifts overlap, the one that began
 * last is on call (it took over).
 *
 * An exception applies to a shift by the Rome day the shift began: a night shift that begins
 * on the last day of someone's holiday is covered by their replacement until the morning.
 */

export interface ShiftOccurrence {
  shift: OncallShift
  /** The Rome day it began (`YYYY-MM-DD`). */
  day: string
  fromMs: number
  untilMs: number
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The instant of a wall time on a Rome day. */
function romeInstant(day: Temporal.PlainDate, hhmm: string): number {
  const [h, m] = hhmm.split(':')
  const ms = fromRomeCompact(`${day.year}${pad(day.month)}${pad(day.day)}${h}${m}00`)
  if (ms === undefined) throw new RangeError(`not a wall time: ${day.toString()} ${hhmm}`)
  return ms
}

/** The occurrence of a shift that begins on a Rome day, or undefined when the day is not its weekday. */
export function occurrenceOn(
  shift: OncallShift,
  day: Temporal.PlainDate,
): ShiftOccurrence | undefined {
  if (day.dayOfWeek !== shift.weekday) return undefined
  const endDay = shift.ends > shift.starts ? day : day.add({ days: 1 })
  return {
    shift,
    day: day.toString(),
    fromMs: romeInstant(day, shift.starts),
    untilMs: romeInstant(endDay, shift.ends),
  }
}

/** The occurrence on call at an instant, or undefined when no shift covers it. */
export function activeOccurrence(
  shifts: readonly OncallShift[],
  atMs: number,
): ShiftOccurrence | undefined {
  const wall = romeWallClock(atMs)
  const today = Temporal.PlainDate.from({ year: wall.year, month: wall.month, day: wall.day })
  // A shift lasts at most a day (25 hours on the autumn night): it began today or yesterday.
  const candidates: ShiftOccurrence[] = []
  for (const day of [today.subtract({ days: 1 }), today]) {
    for (const shift of shifts) {
      const o = occurrenceOn(shift, day)
      if (o && o.fromMs <= atMs && atMs < o.untilMs) candidates.push(o)
    }
  }
  candidates.sort((a, b) => b.fromMs - a.fromMs || a.shift.id - b.shift.id)
  return candidates[0]
}

/**
 * The chain of a shift on a day with its exceptions applied: a person away is replaced
 * (by the oldest exception naming them; a replacement away too is replaced in turn), and
 * nobody is paged twice.
 */
export function resolveChain(
  chain: readonly number[],
  exceptions: readonly OncallException[],
  people: ReadonlyMap<number, OncallPerson>,
): OnCallStep[] {
  const replacementOf = (personId: number) =>
    exceptions.find((e) => e.personId === personId)?.replacementId
  const steps: OnCallStep[] = []
  const seen = new Set<number>()
  for (const planned of chain) {
    let personId = planned
    const visited = new Set([personId])
    for (let next = replacementOf(personId); next !== undefined; next = replacementOf(next)) {
      if (visited.has(next)) break
      visited.add(next)
      personId = next
    }
    if (seen.has(personId)) continue
    const person = people.get(personId)
    if (!person) continue
    seen.add(personId)
    const original = people.get(planned)
    steps.push({
      position: steps.length + 1,
      personId,
      name: person.name,
      replaces:
        personId === planned ? null : { personId: planned, name: original?.name ?? `#${planned}` },
    })
  }
  return steps
}

/** Who is on call at an instant: the shift, when it began and ends, and its chain for that day. */
export function onCallAt(
  roster: {
    shifts: readonly OncallShift[]
    people: readonly OncallPerson[]
    exceptionsOn: (day: string) => readonly OncallException[]
  },
  atMs: number,
): OnCallNow {
  const at = new Date(atMs).toISOString()
  const occurrence = activeOccurrence(roster.shifts, atMs)
  if (!occurrence) return { at, shift: null, from: null, until: null, chain: [] }
  const people = new Map(roster.people.map((p) => [p.id, p]))
  return {
    at,
    shift: occurrence.shift,
    from: new Date(occurrence.fromMs).toISOString(),
    until: new Date(occurrence.untilMs).toISOString(),
    chain: resolveChain(occurrence.shift.chain, roster.exceptionsOn(occurrence.day), people),
  }
}
