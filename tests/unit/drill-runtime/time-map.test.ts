import { describe, expect, it } from 'vitest'
import { scenarioTimeAt, scenarioTimeOfIso } from '../../../src/main/core/drill-runtime/time-map'

// Started at wall 1000 at 60×, paused at wall 2000, resumed at 5000 at 1×, jumped to 10 min at 6000.
const segments = [
  { wallStart: 1000, scenarioStart: 0, rate: 60 },
  { wallStart: 2000, scenarioStart: 60_000, rate: 0 },
  { wallStart: 5000, scenarioStart: 60_000, rate: 1 },
  { wallStart: 6000, scenarioStart: 600_000, rate: 1 },
]

describe('wall time to scenario time', () => {
  it('follows the clock through speed, pause and jump', () => {
    expect(scenarioTimeAt(segments, 500)).toBe(0)
    expect(scenarioTimeAt(segments, 1500)).toBe(30_000)
    expect(scenarioTimeAt(segments, 4000)).toBe(60_000)
    expect(scenarioTimeAt(segments, 5500)).toBe(60_500)
    expect(scenarioTimeAt(segments, 7000)).toBe(601_000)
    expect(scenarioTimeAt([], 7000)).toBe(0)
  })

  it('reads ISO dates, and says nothing for what is not one', () => {
    expect(scenarioTimeOfIso(segments, new Date(1500).toISOString())).toBe(30_000)
    expect(scenarioTimeOfIso(segments, null)).toBeNull()
    expect(scenarioTimeOfIso(segments, 'ieri')).toBeNull()
  })
})
