import type { TeamAction } from '../../../shared/drills/checkpoints'
import type { ClockSegment } from '../drills/drill-clock'
import type { FiredEvent } from '../drills/timeline'
import type { TeamRecords } from './team-records'
import { scenarioTimeAt } from './time-map'

/** The fired entry a scenario citizen message came with (`esercitazione:<seq>` thread). */
export function firedOfThread(
  fired: readonly FiredEvent[],
  threadId: string | null,
): FiredEvent | undefined {
  const m = /^esercitazione:(\d+)$/.exec(threadId ?? '')
  if (!m) return undefined
  const seq = Number(m[1])
  return fired.find((f) => f.seq === seq)
}

/** What the team did, on the scenario timeline, as checkpoints count it. */
export function teamActions(
  records: TeamRecords,
  fired: readonly FiredEvent[],
  segments: readonly ClockSegment[],
): TeamAction[] {
  const at = (wall: number) => scenarioTimeAt(segments, wall)
  const actions: TeamAction[] = []
  for (const s of records.sends) {
    actions.push({
      type: 'send',
      at: at(s.firstSentWall),
      family: s.family,
      lists: s.lists,
      channel: s.channel,
    })
  }
  for (const m of records.citizens) {
    if (m.answeredWall === null) continue
    const eventId = firedOfThread(fired, m.threadId)?.eventId
    actions.push({
      type: 'reply',
      at: at(m.answeredWall),
      ...(eventId === undefined ? {} : { to: eventId }),
    })
  }
  for (const r of records.relays)
    actions.push({ type: 'relay_request', at: at(r.requestedWall), partner: r.partner })
  for (const j of records.journal) actions.push({ type: 'journal_entry', at: at(j.wall) })
  return actions.sort((a, b) => a.at - b.at)
}
