import type { AlertLevel } from '../templates/alert-kinds'
import type { Alert } from './types'

export interface ComuneLevel {
  comune: string
  level: AlertLevel
  /** The alert that sets it; null when no alert is in force (verde). */
  alertId: number | null
  validTo: string | null
}

/**
 * The colour in force for each comune, from the alerts we sent: the latest
 * confirmed alert covering it and still valid; a "cessata allerta" (or a
 * Cancel) brings it back to green. Drafts, cancelled and stopped alerts do not count.
 */
export function currentLevels(
  alerts: readonly Alert[],
  comuni: readonly string[],
  now: Date,
): ComuneLevel[] {
  const inForce = alerts
    .filter(
      (a) =>
        (a.status === 'scheduled' || a.status === 'sending' || a.status === 'done') &&
        a.confirmedAt,
    )
    .sort((a, b) => (a.confirmedAt! < b.confirmedAt! ? 1 : -1))
  return comuni.map((comune) => {
    const latest = inForce.find((a) => a.comuni.some((c) => c.name === comune))
    if (
      !latest ||
      latest.kind === 'cessata_allerta' ||
      latest.msgType === 'Cancel' ||
      Date.parse(latest.validTo) < now.getTime()
    ) {
      return { comune, level: 'verde', alertId: null, validTo: null }
    }
    return { comune, level: latest.level, alertId: latest.id, validTo: latest.validTo }
  })
}
