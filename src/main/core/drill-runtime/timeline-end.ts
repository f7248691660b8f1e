import type { Scenario } from '../../../shared/drills/scenario'
import { parseDuration, parseScenarioTime } from '../../../shared/drills/time'

/** Where a timeline ends: its last event, or the end of its last spread burst (scenario ms). */
export function timelineEnd(scenario: Scenario): number {
  return Math.max(
    0,
    ...scenario.events.map((e) => {
      const at = parseScenarioTime(e.at) ?? 0
      return e.type === 'citizen_messages' && e.over ? at + (parseDuration(e.over) ?? 0) : at
    }),
  )
}
