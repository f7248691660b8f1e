import { describe, expect, it } from 'vitest'
import {
  formatDuration,
  formatScenarioTime,
  parseDuration,
  parseScenarioTime,
} from '../../../src/shared/drills/time'

describe('scenario time notation', () => {
  it('reads T+H:MM and T+H:MM:SS as milliseconds from the start', () => {
    expect(parseScenarioTime('T+0:00')).toBe(0)
    expect(parseScenarioTime('T+0:05')).toBe(5 * 60_000)
    expect(parseScenarioTime('T+01:30')).toBe(90 * 60_000)
    expect(parseScenarioTime('T+26:00:30')).toBe(26 * 3_600_000 + 30_000)
  })

  it('refuses anything else', () => {
    for (const bad of ['0:05', 'T+5', 'T+0:60', 'T-0:05', 'T+0:5', '+5m', 'T+0:05:99', '']) {
      expect(parseScenarioTime(bad), bad).toBeNull()
    }
  })

  it('writes times back in the same notation', () => {
    expect(formatScenarioTime(0)).toBe('T+0:00')
    expect(formatScenarioTime(90 * 60_000)).toBe('T+1:30')
    expect(formatScenarioTime(65_000)).toBe('T+0:01:05')
  })
})

describe('durations', () => {
  it('read h, m and s, largest first', () => {
    expect(parseDuration('15m')).toBe(15 * 60_000)
    expect(parseDuration('1h30m')).toBe(90 * 60_000)
    expect(parseDuration('2h')).toBe(7_200_000)
    expect(parseDuration('45s')).toBe(45_000)
    expect(parseDuration('0m')).toBe(0)
  })

  it('refuse other spellings', () => {
    for (const bad of ['15', '15 min', 'm15', '30m1h', '', 'never', '1.5h'])
      expect(parseDuration(bad), bad).toBeNull()
  })

  it('write back compactly', () => {
    expect(formatDuration(90 * 60_000)).toBe('1h30m')
    expect(formatDuration(45_000)).toBe('45s')
    expect(formatDuration(-120_000)).toBe('2m')
    expect(formatDuration(0)).toBe('0s')
  })
})
