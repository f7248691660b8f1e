import type { AlertLevel } from '../../../shared/templates/alert-kinds'

/**
 * The order in which an account's queued rows are claimed: a red alert goes
 * before an orange one, an orange before a yellow, and among equals the newer
 * alert first, so a red evacuation SMS never waits behind 50,000 yellow ones
 * on a 1 msg/s sender. An update or a cancellation is at least as urgent as
 * the message it follows up (a "cessato" of a red alert is not a green
 * message), and, being newer, goes before that message's queued rows.
 * Answers to citizens are one person each: they go first of all.
 *
 * One integer, so the claim is an index scan: rank × 10^13 + the confirmation
 * time in epoch ms (below 10^13 until the year 2286).
 */
const RANK: Record<AlertLevel, number> = { verde: 0, giallo: 1, arancione: 2, rosso: 3 }
const SCALE = 10 ** 13

/** Priority of a reply to a citizen. */
export const REPLY_PRIORITY = 4 * SCALE

export function levelRank(level: AlertLevel): number {
  return RANK[level]
}

/**
 * @param followsUp levels of the earlier messages this one updates or cancels
 */
export function alertPriority(
  level: AlertLevel,
  confirmedAtMs: number,
  followsUp: readonly AlertLevel[] = [],
): number {
  const rank = Math.max(RANK[level], ...followsUp.map((l) => RANK[l]))
  return rank * SCALE + Math.max(0, Math.min(SCALE - 1, Math.floor(confirmedAtMs)))
}
