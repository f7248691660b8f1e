import { describe, expect, it } from 'vitest'
import { alertDraftSchema } from '../../../src/shared/alerts/alert-schema'
import { formatAlertWindow, formatItalianDateTime } from '../../../src/shared/templates/format-it'
import {
  formatRomeShort,
  fromRomeCompact,
  parseInstant,
  parseRomeInput,
  toRomeCompact,
  toRomeInputValue,
  toRomeIso,
} from '../../../src/shared/time'
import { toFieldIssues } from '../../../src/shared/validation/issues'
import { expectMachineZone } from '../../support/zone-check'

// Run once per zone (vitest.config.ts): every expectation below is the same
// whether the computer is set to UTC, New York or Rome.
const zone = expectMachineZone()

describe(`Rome's wall clock, on a computer set to ${zone}`, () => {
  it('reads a typed time as Rome time, winter and summer', () => {
    expect(parseRomeInput('2026-02-07T14:00')).toEqual({
      ok: true,
      iso: '2026-02-07T13:00:00.000Z',
      offset: '+01:00',
    })
    expect(parseRomeInput('2026-07-15T09:30')).toEqual({
      ok: true,
      iso: '2026-07-15T07:30:00.000Z',
      offset: '+02:00',
    })
    expect(parseRomeInput('2026-12-31T23:59:30')).toMatchObject({ iso: '2026-12-31T22:59:30.000Z' })
  })

  it('refuses the spring hour that does not exist, with the time and day to show', () => {
    for (const time of ['02:00', '02:30', '02:59']) {
      expect(parseRomeInput(`2026-03-29T${time}`)).toEqual({
        ok: false,
        code: 'time_gap',
        params: { time, date: '29/03/2026' },
      })
    }
    expect(parseRomeInput('2026-03-29T01:59')).toMatchObject({ iso: '2026-03-29T00:59:00.000Z' })
    expect(parseRomeInput('2026-03-29T03:00')).toMatchObject({ iso: '2026-03-29T01:00:00.000Z' })
  })

  it('takes the first of the autumn hour that happens twice, says so, and gives the second on request', () => {
    expect(parseRomeInput('2026-10-25T02:30')).toEqual({
      ok: true,
      iso: '2026-10-25T00:30:00.000Z',
      offset: '+02:00',
      repeated: {
        chosen: 'earlier',
        earlier: '+02:00',
        later: '+01:00',
        params: { time: '02:30', date: '25/10/2026' },
      },
    })
    expect(parseRomeInput('2026-10-25T02:30', { repeated: 'later' })).toEqual({
      ok: true,
      iso: '2026-10-25T01:30:00.000Z',
      offset: '+01:00',
      repeated: expect.objectContaining({ chosen: 'later' }),
    })
    expect(parseRomeInput('2026-10-25T03:00')).not.toHaveProperty('repeated')
  })

  it('refuses what is not a wall time', () => {
    for (const bad of ['', 'domani', '2026-02-30T10:00', '2026-02-07T24:00', '2026-02-07T14:00Z'])
      expect(parseRomeInput(bad)).toEqual({ ok: false, code: 'invalid' })
  })

  it('fills a datetime-local input with Rome time, and reads it back to the same instant', () => {
    expect(toRomeInputValue('2026-02-07T13:00:00Z')).toBe('2026-02-07T14:00')
    expect(toRomeInputValue(Date.parse('2026-07-15T22:30:00Z'))).toBe('2026-07-16T00:30')
    expect(toRomeInputValue('2026-10-25T00:30:00Z')).toBe('2026-10-25T02:30')
    expect(toRomeInputValue('2026-10-25T01:30:00Z')).toBe('2026-10-25T02:30')
    expect(toRomeInputValue('nonsense')).toBe('')
    expect(toRomeInputValue(null)).toBe('')
    const now = Date.parse('2026-02-07T13:00:00Z')
    const back = parseRomeInput(toRomeInputValue(now))
    expect(back.ok && Date.parse(back.iso)).toBe(now)
  })

  it('writes CAP date-times on Rome time with its offset, never Z', () => {
    expect(toRomeIso('2026-02-07T13:00:00.000Z')).toBe('2026-02-07T14:00:00+01:00')
    expect(toRomeIso(Date.parse('2026-07-15T10:00:00Z'))).toBe('2026-07-15T12:00:00+02:00')
    expect(toRomeIso(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00')
    expect(() => toRomeIso('2026-02-07T14:00:00')).toThrow(RangeError)
  })

  it("reads and writes the SMS gateway's compact dates on Rome time", () => {
    expect(toRomeCompact(Date.parse('2026-02-07T12:00:00Z'))).toBe('20260207130000')
    expect(toRomeCompact(Date.parse('2026-07-01T22:30:05Z'))).toBe('20260702003005')
    expect(fromRomeCompact('20260715120000')).toBe(Date.parse('2026-07-15T10:00:00Z'))
    expect(fromRomeCompact('20260207130000')).toBe(Date.parse('2026-02-07T12:00:00Z'))
    expect(fromRomeCompact('20261025023000')).toBe(Date.parse('2026-10-25T00:30:00Z'))
    expect(fromRomeCompact('20260230120000')).toBeUndefined()
    expect(fromRomeCompact('not a date')).toBeUndefined()
  })

  it('writes validity windows for templates on Rome time', () => {
    expect(formatAlertWindow('2026-02-07T13:00:00Z', '2026-02-07T22:59:00Z')).toEqual({
      dalle: '14:00 di sabato 7 febbraio',
      alle: '23:59',
    })
    // Near midnight the day is Rome's, not the computer's.
    expect(formatAlertWindow('2026-02-07T22:30:00Z', '2026-02-08T06:00:00Z')).toEqual({
      dalle: '23:30 di sabato 7 febbraio',
      alle: '07:00 di domenica 8 febbraio',
    })
    expect(formatItalianDateTime('2026-03-29T01:00:00Z')).toBe('03:00 di domenica 29 marzo')
    expect(formatItalianDateTime('2026-10-25T00:30:00Z')).toBe('02:30 di domenica 25 ottobre')
    expect(formatItalianDateTime('2026-10-25T01:30:00Z')).toBe('02:30 di domenica 25 ottobre')
  })

  it('writes short dates for reports on Rome time', () => {
    expect(formatRomeShort('2026-02-07T13:00:00Z')).toBe('07/02/26, 14:00')
    expect(formatRomeShort('2026-02-07T23:30:00Z', 'en')).toBe('08/02/2026, 00:30')
    expect(formatRomeShort('nonsense')).toBeUndefined()
  })

  it('refuses instants without an offset', () => {
    expect(parseInstant('2026-02-07T14:00:00+01:00')).toBe(Date.parse('2026-02-07T13:00:00Z'))
    expect(() => parseInstant('2026-02-07T14:00:00')).toThrow(RangeError)
    expect(() => parseInstant('2026-02-07 14:00Z')).toThrow(RangeError)
  })
})

describe(`An alert draft's validity, on a computer set to ${zone}`, () => {
  const draft = (validFrom: string, validTo: string) => ({
    kind: 'neve',
    level: 'giallo',
    comuni: [{ name: 'Empoli' }],
    validFrom,
    validTo,
    headline: 'Neve',
  })

  it('stores instants in UTC and reads a bare wall time as Rome time', () => {
    const parsed = alertDraftSchema.parse(draft('2026-02-07T14:00', '2026-02-08T09:00:00+01:00'))
    expect(parsed.validFrom).toBe('2026-02-07T13:00:00.000Z')
    expect(parsed.validTo).toBe('2026-02-08T08:00:00.000Z')
  })

  it('refuses a validity that starts in the spring gap, with a code the UI words', () => {
    const result = alertDraftSchema.safeParse(draft('2026-03-29T02:30', '2026-03-29T12:00'))
    expect(result.success).toBe(false)
    expect(toFieldIssues(result.error!)).toContainEqual({
      path: 'validFrom',
      code: 'time_gap',
      params: { time: '02:30', date: '29/03/2026' },
    })
  })
})
