import { describe, expect, it } from 'vitest'
import { activeOccurrence, onCallAt } from '../../../src/main/core/oncall/on-call-now'
import type {
  OncallException,
  OncallPerson,
  OncallShift,
} from '../../../src/shared/contract/oncall'

// Run in UTC, New York and Rome (*.tz.test.ts): Rome's answers must not depend on the machine.

const person = (id: number, name: string): OncallPerson => ({
  id,
  contactId: id,
  name,
  phone: null,
  telegramChatId: String(100000 + id),
  email: null,
})
const people = [person(1, 'Mario'), person(2, 'Lucia'), person(3, 'Paolo'), person(4, 'Anna')]

const shift = (id: number, weekday: number, starts: string, ends: string, chain = [1, 2, 3]) =>
  ({ id, label: `t${id}`, weekday, starts, ends, chain }) satisfies OncallShift

/** Saturday night → Sunday morning, and the Sunday day shift after it. */
const weekend = [shift(1, 6, '20:00', '08:00'), shift(2, 7, '08:00', '20:00', [2, 1])]

const who = (at: string, shifts: OncallShift[] = weekend, exceptions: OncallException[] = []) =>
  onCallAt(
    {
      shifts,
      people,
      exceptionsOn: (day) => exceptions.filter((e) => e.from <= day && e.to >= day),
    },
    Date.parse(at),
  )

const hours = (o: { from: string | null; until: string | null }) =>
  (Date.parse(o.until!) - Date.parse(o.from!)) / 3_600_000

describe('who is on call, on Rome’s clock', () => {
  it('finds the night shift across midnight and hands over at 08:00', () => {
    // Saturday 7 February 2026, 23:30 in Rome (22:30 UTC).
    expect(who('2026-02-07T22:30:00Z')).toMatchObject({
      shift: { id: 1 },
      from: '2026-02-07T19:00:00.000Z',
      until: '2026-02-08T07:00:00.000Z',
      chain: [{ name: 'Mario' }, { name: 'Lucia' }, { name: 'Paolo' }],
    })
    expect(who('2026-02-08T06:59:59Z').shift?.id).toBe(1)
    expect(who('2026-02-08T07:00:00Z').shift?.id).toBe(2)
    // Sunday 20:00 → nobody until Saturday.
    expect(who('2026-02-08T19:00:00Z')).toMatchObject({ shift: null, chain: [] })
  })

  it('keeps the spring night shift to 11 hours of real time, ending at 08:00 summer time', () => {
    // Europe/Rome moves to summer time on Sunday 29 March 2026 at 02:00 (→ 03:00).
    const night = who('2026-03-29T00:30:00Z') // 01:30 winter time
    expect(night).toMatchObject({
      shift: { id: 1 },
      from: '2026-03-28T19:00:00.000Z', // 20:00 +01:00
      until: '2026-03-29T06:00:00.000Z', // 08:00 +02:00
    })
    expect(hours(night)).toBe(11)
    expect(who('2026-03-29T05:59:00Z').shift?.id).toBe(1) // 07:59 summer time
    expect(who('2026-03-29T06:00:00Z').shift?.id).toBe(2) // 08:00 summer time
  })

  it('keeps the autumn night shift to 13 hours, through both 02:30s, ending at 08:00 winter time', () => {
    // Back to winter time on Sunday 25 October 2026 at 03:00 (→ 02:00).
    const night = who('2026-10-25T00:30:00Z') // the first 02:30 (+02:00)
    expect(night).toMatchObject({
      shift: { id: 1 },
      from: '2026-10-24T18:00:00.000Z', // 20:00 +02:00
      until: '2026-10-25T07:00:00.000Z', // 08:00 +01:00
    })
    expect(hours(night)).toBe(13)
    expect(who('2026-10-25T01:30:00Z').shift?.id).toBe(1) // the second 02:30 (+01:00)
    expect(who('2026-10-25T06:59:00Z').shift?.id).toBe(1)
    expect(who('2026-10-25T07:00:00Z').shift?.id).toBe(2)
  })

  it('moves a shift set inside the missing spring hour on by the hour that is missing', () => {
    const early = [shift(7, 7, '02:30', '06:00')]
    // 02:30 does not exist that night: the clock reads 03:30 an hour after 01:30.
    expect(activeOccurrence(early, Date.parse('2026-03-29T01:29:00Z'))).toBeUndefined()
    expect(who('2026-03-29T01:30:00Z', early)).toMatchObject({
      from: '2026-03-29T01:30:00.000Z', // 03:30 summer time
      until: '2026-03-29T04:00:00.000Z',
    })
  })

  it('counts a 24-hour shift from its start to the same time the next day', () => {
    const daily = [shift(9, 1, '08:00', '08:00')]
    // Monday 9 February 08:00 → Tuesday 08:00.
    expect(who('2026-02-10T06:59:00Z', daily).shift?.id).toBe(9)
    expect(who('2026-02-10T07:00:00Z', daily).shift).toBeNull()
  })

  it('lets the shift that began last take over when two overlap', () => {
    const overlap = [shift(1, 6, '20:00', '08:00'), shift(5, 7, '06:00', '10:00', [4])]
    expect(who('2026-02-08T04:30:00Z', overlap).shift?.id).toBe(1) // 05:30
    expect(who('2026-02-08T05:30:00Z', overlap).shift?.id).toBe(5) // 06:30
  })
})

describe('exceptions: holidays and swaps', () => {
  const holiday: OncallException = {
    id: 1,
    from: '2026-02-01',
    to: '2026-02-07',
    personId: 1,
    replacementId: 4,
    note: 'ferie',
  }

  it('puts the replacement in the person’s place for the whole shift that begins in the range', () => {
    // The night of the 7th begins on the holiday's last day: Anna covers it until the morning.
    const night = who('2026-02-08T03:00:00Z', weekend, [holiday])
    expect(night.chain).toEqual([
      { position: 1, personId: 4, name: 'Anna', replaces: { personId: 1, name: 'Mario' } },
      { position: 2, personId: 2, name: 'Lucia', replaces: null },
      { position: 3, personId: 3, name: 'Paolo', replaces: null },
    ])
    // The day shift of the 8th: Mario is back.
    expect(who('2026-02-08T09:00:00Z', weekend, [holiday]).chain.map((s) => s.name)).toEqual([
      'Lucia',
      'Mario',
    ])
  })

  it('follows a replacement who is away too, and never pages someone twice', () => {
    const swaps: OncallException[] = [
      { ...holiday, id: 1, replacementId: 2 }, // Mario → Lucia, who is already second
      { ...holiday, id: 2, personId: 3, replacementId: 4 }, // Paolo → Anna
      { ...holiday, id: 3, personId: 4, replacementId: 3 }, // Anna → Paolo: a loop
    ]
    expect(who('2026-02-07T22:00:00Z', weekend, swaps).chain.map((s) => s.name)).toEqual([
      'Lucia',
      'Anna',
    ])
  })
})
