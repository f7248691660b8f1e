import { burstMessages, type CitizenMessage } from '../../../shared/drills/citizen-burst'
import type { EventBody, Scenario } from '../../../shared/drills/scenario'
import { parseScenarioTime } from '../../../shared/drills/time'

/**
 * The timeline as the runner walks it: one item per event, except a burst of
 * citizen messages spread over time, which becomes one item per moment some of
 * its messages arrive — so pausing stops the burst and 60× compresses it.
 */
export interface PlannedItem {
  /** Tie-break for items at the same time: file order, then parts in order, then injections. */
  order: number
  /** Scenario ms when it is due. */
  at: number
  /** Position in `scenario.events`; `null` for an event the trainer injected. */
  index: number | null
  /** Which part of its event this is (1-based) and of how many (1 unless a spread burst). */
  part: number
  parts: number
  event: EventBody
  /** The messages of this part, for citizen_messages. */
  messages?: CitizenMessage[]
}

/** Splits one event into its items, from its start time on. */
export function planEvent(
  event: EventBody,
  startMs: number,
  index: number | null,
  nextOrder: () => number,
): PlannedItem[] {
  if (event.type !== 'citizen_messages') {
    return [{ order: nextOrder(), at: startMs, index, part: 1, parts: 1, event }]
  }
  const groups = new Map<number, CitizenMessage[]>()
  for (const m of burstMessages(event))
    groups.set(m.offsetMs, [...(groups.get(m.offsetMs) ?? []), m])
  const parts = groups.size
  return [...groups.entries()].map(([offset, messages], i) => ({
    order: nextOrder(),
    at: startMs + offset,
    index,
    part: i + 1,
    parts,
    event,
    messages,
  }))
}

export const byDue = (a: PlannedItem, b: PlannedItem): number => a.at - b.at || a.order - b.order

/** Every item of a validated scenario, in the order they fall due. */
export function planScenario(scenario: Scenario, nextOrder: () => number): PlannedItem[] {
  const items = scenario.events.flatMap((event, index) =>
    planEvent(event, parseScenarioTime(event.at) ?? 0, index, nextOrder),
  )
  return items.sort(byDue)
}
