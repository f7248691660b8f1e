import type { Db } from '../db/open'
import { createAlertsRepository } from '../alerts/alerts-repository'

/** A red alert some partners were asked to relay and have not, after the minutes set. */
export interface LateRelay {
  alertId: number
  headline: string
  confirmedAt: string
  /** The partners still silent, by name. */
  partners: string[]
}

/** Red alerts older than this are history, not a relay to chase. */
const WINDOW_MS = 48 * 3_600_000

/**
 * The red alerts in force whose relay requests are still only "requested" (neither
 * confirmed by the partner nor seen on their page) `minutes` after they went out. An
 * alert that a later version (update or cessata) replaced is not chased: the new
 * version carries its own requests.
 */
export function createLateRelays(db: Db) {
  const alerts = createAlertsRepository(db)
  const partnerName = db.prepare<[number], string>('SELECT name FROM partners WHERE id = ?').pluck()
  return (nowMs: number, minutes: number): LateRelay[] => {
    const recent = alerts.list(100)
    const replaced = new Set(
      recent
        .filter((a) => a.confirmedAt && a.referencesAlertId !== null)
        .map((a) => a.referencesAlertId),
    )
    const late: LateRelay[] = []
    for (const a of recent) {
      if (a.level !== 'rosso' || !a.confirmedAt || replaced.has(a.id)) continue
      if (a.status !== 'sending' && a.status !== 'done') continue
      if (nowMs - Date.parse(a.confirmedAt) > WINDOW_MS) continue
      const silent = alerts
        .relays(a.id)
        .filter(
          (r) => r.status === 'requested' && nowMs - Date.parse(r.requestedAt) >= minutes * 60_000,
        )
      if (silent.length === 0) continue
      late.push({
        alertId: a.id,
        headline: a.headline,
        confirmedAt: a.confirmedAt,
        partners: silent.map((r) => partnerName.get(r.partnerId) ?? `partner ${r.partnerId}`),
      })
    }
    return late
  }
}
