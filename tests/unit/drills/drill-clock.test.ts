import { describe, expect, it } from 'vitest'
import { createDrillClock } from '../../../src/main/core/drills/drill-clock'
import { CoreError } from '../../../src/main/core/errors'
import { createFakeTime } from './fake-time'

const MIN = 60_000

describe('the drill clock', () => {
  it('runs scenario time at the chosen speed', () => {
    const time = createFakeTime()
    const clock = createDrillClock({ now: time.now, speed: 1 })
    expect(clock.scenarioNow()).toBe(0)
    clock.start()
    time.advance(2 * MIN)
    expect(clock.scenarioNow()).toBe(2 * MIN)
    clock.setSpeed(60)
    time.advance(10_000)
    expect(clock.scenarioNow()).toBe(12 * MIN)
    expect(clock.wallMsUntil(13 * MIN)).toBe(1000)
  })

  it('refuses speeds outside 1× to 60×', () => {
    const clock = createDrillClock({ now: () => 0 })
    for (const bad of [0, 0.5, 61, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => clock.setSpeed(bad), String(bad)).toThrow(CoreError)
    }
    expect(() => createDrillClock({ now: () => 0, speed: 100 })).toThrow(/between 1× and 60×/)
    clock.setSpeed(60)
    clock.setSpeed(1)
    expect(clock.speed).toBe(1)
  })

  it('stands still while paused, and a speed change while paused applies on resume', () => {
    const time = createFakeTime()
    const clock = createDrillClock({ now: time.now })
    clock.start()
    time.advance(MIN)
    clock.pause()
    time.advance(30 * MIN)
    expect(clock.scenarioNow()).toBe(MIN)
    expect(clock.wallMsUntil(2 * MIN)).toBeNull()
    clock.setSpeed(10)
    clock.resume()
    time.advance(6_000)
    expect(clock.scenarioNow()).toBe(2 * MIN)
  })

  it('jumps forward only, running or paused', () => {
    const time = createFakeTime()
    const clock = createDrillClock({ now: time.now })
    expect(() => clock.jumpTo(MIN)).toThrow(/ready/)
    clock.start()
    clock.jumpTo(30 * MIN)
    expect(clock.scenarioNow()).toBe(30 * MIN)
    expect(() => clock.jumpTo(10 * MIN)).toThrow(/forward/)
    clock.pause()
    clock.jumpTo(45 * MIN)
    time.advance(MIN)
    expect(clock.scenarioNow()).toBe(45 * MIN)
  })

  it('turns past wall times back into scenario time across speed changes, pauses and jumps', () => {
    const time = createFakeTime()
    const t0 = time.now()
    const clock = createDrillClock({ now: time.now })
    clock.start()
    time.advance(MIN) // T+1m at t0+1m
    clock.setSpeed(30)
    time.advance(MIN) // +30m → T+31m at t0+2m
    clock.pause()
    time.advance(5 * MIN) // still T+31m at t0+7m
    clock.resume()
    clock.jumpTo(60 * MIN)
    time.advance(2_000) // +1m → T+61m at t0+7m2s
    expect(clock.scenarioTimeAt(t0 - 1)).toBe(0)
    expect(clock.scenarioTimeAt(t0 + 30_000)).toBe(30_000)
    expect(clock.scenarioTimeAt(t0 + 90_000)).toBe(16 * MIN)
    expect(clock.scenarioTimeAt(t0 + 4 * MIN)).toBe(31 * MIN)
    expect(clock.scenarioTimeAt(t0 + 7 * MIN + 2_000)).toBe(61 * MIN)
    expect(clock.segments()).toHaveLength(5)
  })

  it('refuses controls that make no sense in its state', () => {
    const clock = createDrillClock({ now: () => 0 })
    expect(() => clock.pause()).toThrow(CoreError)
    clock.start()
    expect(() => clock.start()).toThrow(/running/)
    expect(() => clock.resume()).toThrow(/running/)
  })
})
