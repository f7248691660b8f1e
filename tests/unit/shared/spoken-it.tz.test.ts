import { describe, expect, it } from 'vitest'
import { toSpokenItalian } from '../../../src/shared/text/spoken-it'

// Runs once per zone (see vitest.config.ts): the spoken day and hour are Rome's,
// whatever the computer is set to.
describe(`spoken dates on Rome's calendar (TZ=${process.env.TZ ?? 'unset'})`, () => {
  it('says an instant at Rome’s wall clock, past midnight there when not in UTC', () => {
    expect(toSpokenItalian('Dal 2026-12-03T23:30:00Z', { now: '2026-12-03T10:00:00+01:00' })).toBe(
      'Dal quattro dicembre alle zero e trenta.',
    )
    expect(toSpokenItalian('2026-07-10T22:15:00Z', { now: '2026-07-01T10:00:00+02:00' })).toBe(
      'Sabato undici luglio alle zero e quindici.',
    )
  })

  it('takes today from Rome: at 00:30 on New Year’s Day in Rome, last year is said', () => {
    // 23:30 UTC on 31 December is already 2027 in Rome.
    const now = '2026-12-31T23:30:00Z'
    expect(toSpokenItalian('03/12/2026', { now })).toBe('Giovedì tre dicembre duemilaventisei.')
    expect(toSpokenItalian('2 gennaio', { now })).toBe('Sabato due gennaio.')
    expect(toSpokenItalian('02/01/2027', { now })).toBe('Sabato due gennaio.')
  })
})
