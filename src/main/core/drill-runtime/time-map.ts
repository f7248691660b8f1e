import type { ClockSegment } from '../drills/drill-clock'

/**
 * Scenario time of a wall time, from the clock's recorded segments: how the
 * report places what the team did (an outbox row's sent_at, a journal note)
 * on the timeline, even after the drill's process has gone.
 * Before the drill started everything sits at T+0:00.
 */
export function scenarioTimeAt(segments: readonly ClockSegment[], wallMs: number): number {
  let current: ClockSegment | undefined
  for (const s of segments) if (s.wallStart <= wallMs) current = s
  if (!current) return 0
  return current.scenarioStart + (wallMs - current.wallStart) * current.rate
}

/** The same for an ISO date, `null` when there is none or it does not parse. */
export function scenarioTimeOfIso(
  segments: readonly ClockSegment[],
  iso: string | null | undefined,
): number | null {
  if (!iso) return null
  const wall = Date.parse(iso)
  return Number.isNaN(wall) ? null : scenarioTimeAt(segments, wall)
}
