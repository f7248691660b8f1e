import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  formatAlertWindow,
  formatItalianDate,
  formatItalianDateTime,
  joinComuni,
} from '../../../src/shared/templates/format-it'

describe('Italian dates and times, in Rome time', () => {
  it('writes time and day in Italian', () => {
    expect(formatItalianDateTime('2026-02-07T14:00:00+01:00')).toBe('14:00 di sabato 7 febbraio')
    expect(formatItalianDate('2026-02-09T08:00:00+01:00')).toBe('lunedì 9 febbraio')
  })

  it('converts UTC and other offsets to Rome, winter and summer time', () => {
    expect(formatItalianDateTime('2026-02-07T13:00:00Z')).toBe('14:00 di sabato 7 febbraio')
    expect(formatItalianDateTime('2026-07-15T22:30:00Z')).toBe('00:30 di giovedì 16 luglio')
    expect(formatItalianDateTime('2026-03-29T00:59:00Z')).toBe('01:59 di domenica 29 marzo')
    expect(formatItalianDateTime('2026-03-29T01:00:00Z')).toBe('03:00 di domenica 29 marzo')
  })

  it('writes midnight as 00:00 of the new day', () => {
    expect(formatItalianDateTime('2026-12-31T23:00:00Z')).toBe('00:00 di venerdì 1 gennaio')
  })

  it('gives only the time for an end on the same day', () => {
    expect(formatAlertWindow('2026-02-07T14:00:00+01:00', '2026-02-07T23:59:00+01:00')).toEqual({
      dalle: '14:00 di sabato 7 febbraio',
      alle: '23:59',
    })
    expect(formatAlertWindow('2026-02-07T14:00:00+01:00', '2026-02-08T23:59:00+01:00')).toEqual({
      dalle: '14:00 di sabato 7 febbraio',
      alle: '23:59 di domenica 8 febbraio',
    })
  })

  it('refuses malformed or ambiguous dates and a window that ends before it starts', () => {
    expect(() => formatItalianDateTime('2026-02-07T14:00:00')).toThrow(RangeError)
    expect(() => formatItalianDateTime('7/2/2026 14:00')).toThrow(RangeError)
    expect(() => formatItalianDateTime('2026-02-30T14:00:00Z')).toThrow(RangeError)
    expect(() => formatItalianDateTime('2026-02-07T24:30:00Z')).toThrow(RangeError)
    expect(formatItalianDateTime('2028-02-29T12:00:00Z')).toBe('13:00 di martedì 29 febbraio')
    expect(() => formatItalianDateTime('')).toThrow(RangeError)
    expect(() => formatAlertWindow('2026-02-08T00:00:00Z', '2026-02-07T00:00:00Z')).toThrow(
      /ends before/,
    )
  })
})

describe('joinComuni', () => {
  it('joins one, two and many names the Italian way', () => {
    expect(joinComuni(['Empoli'])).toBe('Empoli')
    expect(joinComuni(['Empoli', 'Vinci'])).toBe('Empoli e Vinci')
    expect(joinComuni(['Empoli', 'Vinci', 'Certaldo'])).toBe('Empoli, Vinci e Certaldo')
  })

  it('drops blanks and repeats, keeps the order given, tidies spaces', () => {
    expect(joinComuni([' Vinci ', '', 'Empoli', 'vinci', 'Capraia  e Limite'])).toBe(
      'Vinci, Empoli e Capraia e Limite',
    )
    expect(joinComuni([])).toBe('')
    expect(joinComuni(['  '])).toBe('')
  })

  it('names the whole area instead of listing every comune', () => {
    const file = path.resolve(__dirname, '../../../resources/comuni.json')
    const all = (
      JSON.parse(readFileSync(file, 'utf8')) as { comuni: { name: string }[] }
    ).comuni.map((c) => c.name)
    const whenAll = { names: all, label: 'tutti i comuni del Circondario' }
    expect(joinComuni([...all].reverse(), { whenAll })).toBe('tutti i comuni del Circondario')
    expect(joinComuni(all.slice(1), { whenAll })).not.toBe('tutti i comuni del Circondario')
  })
})
