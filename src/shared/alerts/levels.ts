import type { AlertLevel } from '../templates/alert-kinds'
import type { Alert } from './types'
import { alertChains, isCessata } from './versions'

export interface ComuneLevel {
  comune: string
  level: AlertLevel
  /** The alert that sets it; null when no alert is in force (verde). */
  alertId: number | null
  validTo: string | null
}

/**
 * The colour in force for each comune, from the alerts we sent. Of an alert and
 * its follow-ups only the latest confirmed version counts: an update that adds
 * a comune colours it, one that removes a comune leaves it to other alerts, and
 * a "cessata allerta" (or a Cancel) brings every comune of its version back to
 * green. Per comune the most recently confirmed of those versions wins, until
 * its validity ends. Drafts, cancelled and stopped versions do not count.
 */
export function currentLevels(
  alerts: readonly Alert[],
  comuni: readonly string[],
  now: Date,
): ComuneLevel[] {
  const inForce = alertChains(alerts)
    .flatMap((c) => (c.inForce ? [c.inForce] : []))
    .sort((a, b) => (a.confirmedAt! < b.confirmedAt! ? 1 : -1))
  return comuni.map((comune) => {
    const latest = inForce.find((a) => a.comuni.some((c) => c.name === comune))
    if (!latest || isCessata(latest) || Date.parse(latest.validTo) < now.getTime()) {
      return { comune, level: 'verde', alertId: null, validTo: null }
    }
    return { comune, level: latest.level, alertId: latest.id, validTo: latest.validTo }
  })
}
