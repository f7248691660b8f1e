import { describe, expect, it } from 'vitest'
import {
  formatEnglishAlertWindow,
  formatEnglishDate,
  formatEnglishDateTime,
  joinComuniEnglish,
} from '../../../src/shared/templates/format-en'
import { expectMachineZone } from '../../support/zone-check'

// Run once per zone (vitest.config.ts): the English words are Rome's time on any computer.
const zone = expectMachineZone()

describe(`English dates and times in Rome's time, on a computer set to ${zone}`, () => {
  it('writes a window over two days the British way, in Rome time (winter, UTC+1)', () => {
    expect(formatEnglishAlertWindow('2025-12-03T13:00:00Z', '2025-12-04T07:00:00Z')).toEqual({
      dalle: '2 pm on Wednesday 3 December',
      alle: '8 am on Thursday 4 December',
    })
  })

  it('gives only the time for an end on the same Rome day, and keeps minutes', () => {
    expect(formatEnglishAlertWindow('2026-07-15T07:30:00Z', '2026-07-15T21:59:00Z')).toEqual({
      dalle: '9:30 am on Wednesday 15 July',
      alle: '11:59 pm',
    })
  })

  it('says midnight and noon, and the Rome day even when UTC is still on the day before', () => {
    // 23:00 UTC on 6 February is midnight of Saturday 7 February in Rome.
    expect(formatEnglishDateTime('2026-02-06T23:00:00Z')).toBe('midnight on Saturday 7 February')
    expect(formatEnglishDateTime('2026-02-07T11:00:00Z')).toBe('noon on Saturday 7 February')
    expect(formatEnglishDate('2026-02-06T23:30:00Z')).toBe('Saturday 7 February')
  })

  it('refuses a window that ends before it starts', () => {
    expect(() => formatEnglishAlertWindow('2026-02-07T13:00:00Z', '2026-02-07T12:00:00Z')).toThrow(
      RangeError,
    )
  })

  it('joins Italian comune names with "and", dropping blanks and repeats', () => {
    expect(joinComuniEnglish(['Empoli'])).toBe('Empoli')
    expect(joinComuniEnglish(['Empoli', ' vinci ', 'Vinci'])).toBe('Empoli and vinci')
    expect(joinComuniEnglish(['Empoli', 'Vinci', 'Certaldo', ''])).toBe(
      'Empoli, Vinci and Certaldo',
    )
    expect(joinComuniEnglish([])).toBe('')
  })
})
