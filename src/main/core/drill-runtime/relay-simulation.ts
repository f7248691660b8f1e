import type { Db } from '../db/open'

/**
 * Partner schools in a drill: a scenario's `partner_relay` event says how long
 * a partner takes to relay once asked (or that it never does). When the team's
 * request is that old on the scenario clock, the relay is recorded as seen on
 * the partner's page, as an operator would after checking it.
 */

export interface RelayPolicy {
  /** Scenario ms from the request to the relay; `null`: never. */
  delayMs: number | null
  /** Scenario ms from which the policy holds. */
  since: number
}

export interface RelaySimulation {
  setPolicy(partnerId: number, policy: RelayPolicy): void
  /** Relays every request now due. */
  apply(scenarioNow: number, scenarioTimeOf: (iso: string) => number | null): void
}

export function createRelaySimulation(deps: {
  db: Db
  /** Records the relay (through the alerts service, so it is audited like a person's). */
  relayed(alertId: number, partnerId: number): void
}): RelaySimulation {
  const policies = new Map<number, RelayPolicy>()
  const requested = deps.db.prepare<
    [],
    { alert_id: number; partner_id: number; requested_at: string }
  >(
    "SELECT alert_id, partner_id, requested_at FROM relay_requests WHERE status = 'requested' ORDER BY requested_at",
  )
  return {
    setPolicy: (partnerId, policy) => void policies.set(partnerId, policy),
    apply(scenarioNow, scenarioTimeOf) {
      if (policies.size === 0) return
      for (const r of requested.all()) {
        const policy = policies.get(r.partner_id)
        if (!policy || policy.delayMs === null) continue
        const asked = scenarioTimeOf(r.requested_at) ?? scenarioNow
        if (scenarioNow >= Math.max(asked, policy.since) + policy.delayMs)
          deps.relayed(r.alert_id, r.partner_id)
      }
    },
  }
}
